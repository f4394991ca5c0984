import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ERROR_CODE_MESSAGE, ERROR_CODE_PATTERN, RETRY_MANY_LIMIT, TRANSFER_STATUSES, TransferStatus } from '@bogholder/contracts';
import { PageQueryDto } from '../../../common/paging';

export class TransfersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TRANSFER_STATUSES })
  @IsOptional() @IsIn(TRANSFER_STATUSES as unknown as string[], { message: `status must be one of ${TRANSFER_STATUSES.join(', ')}` })
  status?: TransferStatus;

  @ApiPropertyOptional({ description: 'Only this order' })
  @IsOptional() @IsString() @Length(1, 100)
  orderId?: string;
}

export class TransfersRetryManyQueryDto {
  @ApiPropertyOptional({ enum: ['parked', 'failed'], description: 'Only parked or only failed orders (default: both)' })
  @IsOptional() @IsIn(['parked', 'failed'], { message: 'status must be parked or failed' })
  status?: 'parked' | 'failed';

  @ApiPropertyOptional({ example: 'products_missing', description: 'Only orders whose last error has this code (as the transfer log shows it)' })
  @IsOptional() @Matches(ERROR_CODE_PATTERN, { message: ERROR_CODE_MESSAGE })
  code?: string;
}

export class TransfersRetryManyDto {
  @ApiProperty({ description: `Orders started again by this request (at most ${RETRY_MANY_LIMIT})` }) retried: number;
  @ApiProperty({ type: [String] }) orderIds: string[];
  @ApiProperty({ description: 'More orders matched than one request retries: send it again' }) more: boolean;
}

export class TransferErrorDto {
  @ApiProperty({ example: 'customer_group_missing' }) code: string;
  @ApiProperty() message: string;
}

export class TransferCreditNoteDto {
  @ApiProperty() refundId: string;
  @ApiProperty() status: string;
  @ApiProperty({ type: Number, nullable: true }) bookedInvoiceNumber: number | null;
  @ApiProperty({ type: Number, nullable: true }) draftInvoiceNumber: number | null;
  @ApiProperty({ type: TransferErrorDto, nullable: true }) lastError: TransferErrorDto | null;
}

export class TransferPaymentDto {
  @ApiProperty() paymentId: string;
  @ApiProperty() status: string;
  @ApiProperty({ type: Number, nullable: true }) voucherNumber: number | null;
  @ApiProperty() amount: number;
  @ApiProperty({ type: TransferErrorDto, nullable: true }) lastError: TransferErrorDto | null;
}

export class TransferDto {
  @ApiProperty() orderId: string;
  @ApiProperty({ type: Number, nullable: true }) orderNumber: number | null;
  @ApiProperty({ enum: TRANSFER_STATUSES }) status: TransferStatus;
  @ApiProperty({ type: Number, nullable: true }) draftInvoiceNumber: number | null;
  @ApiProperty({ type: Number, nullable: true }) bookedInvoiceNumber: number | null;
  @ApiProperty({ type: Number, nullable: true }) customerNumber: number | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: TransferErrorDto, nullable: true }) lastError: TransferErrorDto | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextAttemptAt: string | null;
  @ApiProperty({ type: [TransferCreditNoteDto] }) creditNotes: TransferCreditNoteDto[];
  @ApiProperty({ type: [TransferPaymentDto] }) payments: TransferPaymentDto[];
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class TransferListDto {
  @ApiProperty({ type: [TransferDto] }) items: TransferDto[];
  @ApiProperty() total: number;
}
