import { Module } from '@nestjs/common';
import { ResealService } from './reseal.service';

/** Finishing a TOKEN_ENCRYPTION_KEY rotation: secrets sealed with an older key are sealed again. */
@Module({ providers: [ResealService], exports: [ResealService] })
export class KeyRotationModule {}
