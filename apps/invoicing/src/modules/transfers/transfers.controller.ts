import { Injectable } from '@nestjs/common';
import {
  InvoicePreviewReply, InvoicePreviewRequest, RpcSubjects, TransferRetryRequest, TransfersListReply, TransfersListRequest, TransfersRetryManyReply,
  TransfersRetryManyRequest, TransferView,
} from '@bogholder/contracts';
import { OnRpc } from '@bogholder/service-kit';
import { TransfersService } from './transfers.service';

/** The gateway's questions about the transfer log, over request/reply (thin: delegates). */
@Injectable()
export class TransfersController {
  constructor(private readonly transfers: TransfersService) {}

  @OnRpc(RpcSubjects.InvoicingTransfersList)
  async list(request: TransfersListRequest): Promise<TransfersListReply> {
    return await this.transfers.list(request);
  }

  @OnRpc(RpcSubjects.InvoicingTransferRetry)
  async retry(request: TransferRetryRequest): Promise<TransferView> {
    return await this.transfers.retry(request);
  }

  @OnRpc(RpcSubjects.InvoicingTransfersRetryMany)
  async retryMany(request: TransfersRetryManyRequest): Promise<TransfersRetryManyReply> {
    return await this.transfers.retryMany(request);
  }

  @OnRpc(RpcSubjects.InvoicingPreview)
  async preview(request: InvoicePreviewRequest): Promise<InvoicePreviewReply> {
    return await this.transfers.preview(request);
  }
}
