import { Module } from '@nestjs/common';
import { ContactsService } from './contacts.service';
import { CustomerLocks } from './customer-locks.service';
import { CustomerNumbering } from './customer-numbering.service';
import { CustomerStore } from './customer-store.service';
import { CustomersHandler } from './customers.handler';
import { CustomersMetrics } from './customers.metrics';
import { CustomersService } from './customers.service';
import { EconomicCustomers } from './economic-customers.service';

/** rpc.customers.ensure / rpc.customers.lookup: the right e-conomic customer and contact, exactly once. */
@Module({
  providers: [CustomersHandler, CustomersService, CustomerStore, CustomerLocks, CustomerNumbering, ContactsService, EconomicCustomers, CustomersMetrics],
  exports: [CustomersService],
})
export class CustomersModule {}
