import { Module } from '@nestjs/common';
import { EconomicCallMeter } from './call-meter';
import { CustomersClient } from './customers.client';
import { DocumentLookupService } from './document-lookup.service';
import { ReferenceDataService } from './reference-data.service';

/** Everything invoicing asks e-conomic (and the customers service) besides writing documents. */
@Module({
  providers: [EconomicCallMeter, CustomersClient, DocumentLookupService, ReferenceDataService],
  exports: [EconomicCallMeter, CustomersClient, DocumentLookupService, ReferenceDataService],
})
export class EconomicModule {}
