import { Injectable } from '@nestjs/common';
import { ClassConstructor } from 'class-transformer';
import { CustomersEnsureReply, CustomersLookupReply, RpcSubjects, validatePayload } from '@bogholder/contracts';
import { OnRpc } from '@bogholder/service-kit';
import { InvalidRequestError } from './customers.errors';
import { CustomersService } from './customers.service';
import { EnsureCustomerDto } from './dto/ensure-customer.dto';
import { LookupCustomerDto } from './dto/lookup-customer.dto';

/** Request/reply edge of the customers service: validates the request and hands it to the service. */
@Injectable()
export class CustomersHandler {
  constructor(private readonly customers: CustomersService) {}

  @OnRpc(RpcSubjects.CustomersEnsure)
  async ensure(request: unknown): Promise<CustomersEnsureReply> {
    return await this.customers.ensure(parse(EnsureCustomerDto, request));
  }

  @OnRpc(RpcSubjects.CustomersLookup)
  async lookup(request: unknown): Promise<CustomersLookupReply> {
    return await this.customers.lookup(parse(LookupCustomerDto, request));
  }
}

function parse<T extends object>(cls: ClassConstructor<T>, request: unknown): T {
  const result = validatePayload(cls, request);
  if (!result.ok) throw new InvalidRequestError(result.errors);
  return result.value;
}
