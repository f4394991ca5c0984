import request from 'supertest';
import { EconomicConnectedData } from '@bogholder/contracts';
import { TokenCipher } from '@bogholder/service-kit';
import { deleteNamespaceStreams, dropSchema, eventually, sql, TEST_TOKEN_ENCRYPTION_KEY } from '@bogholder/testing';
import { bearer, connectShop, createShop, launchGateway, orderPaid, sendWebhook, startGateway } from './helpers';

const NEW_KEY = Buffer.alloc(32, 42).toString('base64');

it('after a key rotation, seals every secret again with the new key and tells the services the newly sealed grant token', async () => {
  // The gateway as it ran before the rotation (the test key), with a connected shop and one that is not.
  const h = await startGateway();
  const shop = await createShop(h, 'Before Rotation ApS');
  const idle = await createShop(h, 'Never Connected ApS');
  const { grantToken, agreementNumber } = await connectShop(h, shop, 'Before Rotation ApS');
  await h.app.close();

  // Restarted with the new key, the old one kept as previous.
  const { app, url } = await launchGateway(h, { TOKEN_ENCRYPTION_KEY: NEW_KEY, TOKEN_ENCRYPTION_KEY_PREVIOUS: TEST_TOKEN_ENCRYPTION_KEY });
  try {
    const newKeyOnly = new TokenCipher(NEW_KEY);
    const opens = (sealed: string | null) => {
      try {
        return sealed !== null && newKeyOnly.decrypt(sealed).length > 0;
      } catch {
        return false;
      }
    };
    // Everything at rest opens with the new key alone: the old key could be dropped now.
    await eventually(async () => {
      const shops = await sql<{ webhook_secret_encrypted: string; economic_webhook_secret_encrypted: string }>(`SELECT webhook_secret_encrypted, economic_webhook_secret_encrypted FROM "${h.schema}".shops`);
      const connections = await sql<{ grant_token_encrypted: string | null }>(`SELECT grant_token_encrypted FROM "${h.schema}".connections WHERE grant_token_encrypted IS NOT NULL`);
      return shops.length === 2 && connections.length === 1 && shops.every((s) => opens(s.webhook_secret_encrypted) && opens(s.economic_webhook_secret_encrypted)) && connections.every((c) => opens(c.grant_token_encrypted));
    });
    const [{ grant_token_encrypted: atRest }] = await sql<{ grant_token_encrypted: string }>(`SELECT grant_token_encrypted FROM "${h.schema}".connections WHERE shop_id = $1`, [shop.id]);
    expect(newKeyOnly.decrypt(atRest!)).toBe(grantToken);

    // The services learn the newly sealed token (only for the connected shop), under one system correlation id.
    const announced = await h.events.waitFor((e) => e.subject === 'economic.connected' && e.envelope.shopId === shop.id && opens((e.envelope.data as EconomicConnectedData).grantTokenEncrypted));
    expect(announced.envelope.data).toEqual({ agreementNumber, companyName: 'Before Rotation ApS', grantTokenEncrypted: atRest });
    expect(announced.envelope.correlationId).toMatch(/^key-rotation-/);
    expect(h.events.of('economic.connected', idle.id)).toEqual([]);

    // Nothing changed for the shops: their secrets still sign, and the admin sees the same secret.
    const shown = await request(url).get(`/api/shops/${shop.id}`).set(bearer).expect(200);
    expect(shown.body.webhookSecret).toBe(shop.webhookSecret);
    await sendWebhook({ ...h, http: () => request(url) }, shop, orderPaid()).expect(202);
  } finally {
    await app.close();
    await h.events.close();
    await h.sandbox.close();
    await dropSchema(h.schema);
    await deleteNamespaceStreams(h.namespace);
  }
});
