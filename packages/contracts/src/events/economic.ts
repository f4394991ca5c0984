import { IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';

export class EconomicConnectedData {
  @IsInt() @Min(1) @Max(999_999_999) agreementNumber: number;
  @IsString() @MaxLength(255) companyName: string;
  /** The agreement grant token, AES-256-GCM under TOKEN_ENCRYPTION_KEY (never in clear on the bus). */
  @IsString() @Length(20, 2000) grantTokenEncrypted: string;
}

export class EconomicDisconnectedData {}

export class EconomicWebhookReceivedData {
  @IsIn(['product', 'invoice']) kind: 'product' | 'invoice';
  /** `[NEWNUMBER]` for products, `[INVOICENO]` for invoices. */
  @IsString() @Length(1, 100) number: string;
  /** `[OLDNUMBER]` for products (renumbered or deleted). */
  @IsOptional() @IsString() @MaxLength(100) oldNumber?: string;
}

/** Internal: what other services need to know about a shop to call it back (inventory signs stock.changed with it). */
export class ShopProfileUpdatedData {
  @IsString() @Length(1, 200) name: string;
  @IsOptional() @IsString() @MaxLength(2000) callbackUrl: string | null;
  /** The shop's Standard Webhooks secret, AES-256-GCM under TOKEN_ENCRYPTION_KEY. */
  @IsString() @Length(20, 2000) webhookSecretEncrypted: string;
}
