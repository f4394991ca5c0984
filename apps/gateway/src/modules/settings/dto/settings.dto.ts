import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';

/** OpenAPI description of the settings (validation itself uses the contracts' `Settings` class). */
export class VatZonesDto {
  @ApiProperty({ example: 1, default: 1, description: 'e-conomic VAT zone for domestic customers' }) domestic: number;
  @ApiProperty({ example: 2, default: 2, description: 'VAT zone for customers elsewhere in the EU' }) eu: number;
  @ApiProperty({ example: 3, default: 3, description: 'VAT zone for customers outside the EU' }) abroad: number;
}

export class SettingsDto {
  @ApiProperty({ enum: ['payment', 'shipment'], default: 'payment', description: 'Which shop event turns an order into an invoice' })
  transferTrigger: 'payment' | 'shipment';
  @ApiProperty({ enum: ['draft', 'book', 'bookWithNumber'], default: 'book', description: 'Leave as draft; book at once; book with number = invoiceNumberOffset + orderNumber' })
  bookingMode: 'draft' | 'book' | 'bookWithNumber';
  @ApiProperty({ minimum: 0, default: 0 }) invoiceNumberOffset: number;
  @ApiProperty({ enum: ['lines', 'total'], default: 'lines', description: 'One invoice line per order line, or one total line per VAT rate' })
  productLayout: 'lines' | 'total';
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, nullable: true, default: null, example: { '25': 'SALG25', '0': 'SALG0' }, description: 'VAT rate → e-conomic product for total lines; required when productLayout is "total"' })
  totalLineProducts: Record<string, string> | null;
  @ApiPropertyOptional({ type: String, nullable: true, default: null, description: 'Product used for the shipping line' }) shippingProductNumber: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true, default: null, description: 'Invoice layout (null = the agreement\'s first)' }) layoutNumber: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, default: null, description: 'Payment terms (null = the agreement\'s first)' }) paymentTermsNumber: number | null;
  @ApiProperty({ default: 1337, description: 'Customer group every created customer goes in; must exist in e-conomic' }) customerGroupNumber: number;
  @ApiProperty({ default: true }) createCustomers: boolean;
  @ApiProperty({ enum: ['shop', 'sequence'], default: 'sequence' }) customerNumbering: 'shop' | 'sequence';
  @ApiProperty({ default: 100000 }) customerNumberStart: number;
  @ApiProperty({ default: false, description: 'Send invoices for customers with an EAN electronically' }) eanInvoicing: boolean;
  @ApiProperty({ default: false, description: 'Put accrual {startDate,endDate} on lines that carry a period' }) accrual: boolean;
  @ApiProperty({ default: false, description: 'Post each payment as a customer payment voucher' }) postPayments: boolean;
  @ApiPropertyOptional({ type: Number, nullable: true, default: null, description: 'Journal for payment vouchers; required when postPayments' }) paymentJournalNumber: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, default: null, description: 'Contra account for payments (a suspense account, not the bank); required when postPayments' }) postingAccountNumber: number | null;
  @ApiProperty({ default: false }) stockSync: boolean;
  @ApiProperty({ minimum: 10, default: 60 }) stockSyncIntervalSeconds: number;
  @ApiProperty({ type: VatZonesDto }) vatZones: VatZonesDto;
}

/** PATCH: only the fields given (vatZones may be partial). */
export class SettingsPatchDto extends PartialType(SettingsDto) {}
