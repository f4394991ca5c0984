import { Injectable } from '@nestjs/common';
import {
  InvoicePreviewReply, InvoicePreviewRequest, RpcSubjects, TransferRetryRequest, TransfersListReply, TransfersListRequest, TransfersRetryManyReply,
  TransfersRetryManyRequest, TransferView,
} from '@bogholder/contracts';
import { RpcClient } from '@bogholder/messaging';
import { requestCorrelationId } from '../../common/correlation';
import { relay } from '../../common/rpc-relay';
import { ShopsService } from '../shops/shops.service';
import { TransfersQueryDto, TransfersRetryManyQueryDto } from './dto/transfers.dto';

/** The transfer log, retries and invoice previews: answered by the invoicing service over request/reply. */
@Injectable()
export class TransfersService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly shops: ShopsService,
  ) {}

  async list(shopId: string, query: TransfersQueryDto): Promise<TransfersListReply> {
    await this.shops.requireShop(shopId);
    const request: TransfersListRequest = { shopId, limit: query.limit, offset: query.offset };
    if (query.status) request.status = query.status;
    if (query.orderId) request.orderId = query.orderId;
    return await relay<TransfersListReply>(this.rpc, RpcSubjects.InvoicingTransfersList, request, 'invoicing');
  }

  async retry(shopId: string, orderId: string): Promise<TransferView> {
    await this.shops.requireShop(shopId);
    const request: TransferRetryRequest = { shopId, orderId, correlationId: requestCorrelationId() };
    return await relay<TransferView>(this.rpc, RpcSubjects.InvoicingTransferRetry, request, 'invoicing');
  }

  async retryMany(shopId: string, query: TransfersRetryManyQueryDto): Promise<TransfersRetryManyReply> {
    await this.shops.requireShop(shopId);
    const request: TransfersRetryManyRequest = { shopId, correlationId: requestCorrelationId() };
    if (query.status) request.statuses = [query.status];
    if (query.code) request.code = query.code;
    return await relay<TransfersRetryManyReply>(this.rpc, RpcSubjects.InvoicingTransfersRetryMany, request, 'invoicing');
  }

  async preview(shopId: string, orderId: string): Promise<Record<string, unknown>> {
    await this.shops.requireShop(shopId);
    const request: InvoicePreviewRequest = { shopId, orderId };
    return (await relay<InvoicePreviewReply>(this.rpc, RpcSubjects.InvoicingPreview, request, 'invoicing')).body;
  }
}
