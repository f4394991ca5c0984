import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for grant tokens: at rest in every service and on the bus (`grantTokenEncrypted`).
 * Format: `v1.<iv>.<tag>.<ciphertext>`, base64url parts. The key is TOKEN_ENCRYPTION_KEY (32 bytes).
 */
export class TokenCipher {
  private readonly key: Buffer;
  private readonly previous: Buffer[];

  /** `previousKeys` still decrypt (key rotation without downtime); new values are sealed with `base64Key`. */
  constructor(base64Key: string, previousKeys: string[] = []) {
    [this.key, ...this.previous] = [base64Key, ...previousKeys].map((k) => {
      const key = Buffer.from(k, 'base64');
      if (key.length !== 32) throw new Error('TOKEN_ENCRYPTION_KEY must decode to exactly 32 bytes');
      return key;
    }) as [Buffer, ...Buffer[]];
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a token sealed by TokenCipher');
    for (const key of [this.key, ...this.previous]) {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        // GCM's tag does not match this key: try the next one
      }
    }
    throw new Error('the grant token cannot be decrypted: TOKEN_ENCRYPTION_KEY differs from the key it was encrypted with (set TOKEN_ENCRYPTION_KEY_PREVIOUS while rotating)');
  }

  /** Sealed with an older key: worth sealing again with the current one. */
  needsReseal(sealed: string): boolean {
    const [, iv, tag, data] = sealed.split('.');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv ?? '', 'base64url'));
      decipher.setAuthTag(Buffer.from(tag ?? '', 'base64url'));
      Buffer.concat([decipher.update(Buffer.from(data ?? '', 'base64url')), decipher.final()]);
      return false;
    } catch {
      return true;
    }
  }
}
