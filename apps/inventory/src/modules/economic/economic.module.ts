import { Module } from '@nestjs/common';
import { EconomicReaderService } from './economic-reader.service';

/** Reads from e-conomic (stock is read-only there, economic-api.md §5). */
@Module({ providers: [EconomicReaderService], exports: [EconomicReaderService] })
export class EconomicModule {}
