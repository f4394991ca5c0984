import { EconomicConnectedData } from '@bogholder/contracts';
import { TokenCipher } from '@bogholder/service-kit';
import { sql, TEST_TOKEN_ENCRYPTION_KEY } from '@bogholder/testing';
import { bearer, connectShop, createShop, Harness, sandboxCall, startGateway, TestShop } from './helpers';

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const cipher = new TokenCipher(TEST_TOKEN_ENCRYPTION_KEY);

describe('connecting e-conomic', () => {
  let h: Harness;
  const seen: string[] = [];

  beforeAll(async () => {
    h = await startGateway();
  });

  afterAll(async () => {
    await h.close();
  });

  /** Every response body of this file, to prove no grant token is ever shown. */
  const remember = <T extends { text?: string; headers: Record<string, unknown> }>(res: T): T => {
    seen.push(res.text ?? '', JSON.stringify(res.headers));
    return res;
  };

  /** Starts the connection and returns the grant page URL the admin's browser is sent to. */
  async function startConnecting(shop: TestShop): Promise<string> {
    const res = remember(await h.http().get(`/api/shops/${shop.id}/economic/connect`).set(bearer).expect(302));
    return res.headers.location as string;
  }

  /** Plays the person on e-conomic's grant page: picks the agreement and clicks Approve; answers where e-conomic sends the browser. */
  async function approve(grantPageUrl: string, agreementNumber: number): Promise<string> {
    const page = await fetch(grantPageUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    const hidden = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, unescape(m[2]!)]));
    expect(html).toContain(`<option value="${agreementNumber}"`);
    const form = new URLSearchParams({ ...hidden, agreementNumber: String(agreementNumber), approve: '1' });
    const action = new URL(/<form method="post" action="([^"]+)"/.exec(html)![1]!, grantPageUrl);
    const approved = await fetch(action, { method: 'POST', body: form, redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(approved.status).toBe(302);
    return approved.headers.get('location')!;
  }

  const callbackPath = (location: string) => {
    const url = new URL(location);
    expect(url.origin).toBe(h.url);
    return `${url.pathname}${url.search}`;
  };

  it('connects through e-conomic\'s grant page: redirect, approve, callback, stored encrypted, published', async () => {
    const shop = await createShop(h, 'Grant Flow Shop');
    const agreement = h.sandbox.createAgreement('Kaffe <b>& Kage</b> ApS');
    const grantPage = await startConnecting(shop);
    const target = new URL(grantPage);
    expect(`${target.origin}${target.pathname}`).toBe(`${h.sandbox.url}/requestaccess.aspx`);
    expect(target.searchParams.get('appPublicToken')).toBe('sandbox-app-public');
    const redirectUrl = new URL(target.searchParams.get('redirectUrl')!);
    expect(`${redirectUrl.origin}${redirectUrl.pathname}`).toBe(`${h.url}/api/economic/callback`);
    expect(redirectUrl.searchParams.get('state')).toMatch(/^[0-9a-f-]{36}\.[\w-]+$/);

    const back = await approve(grantPage, agreement.agreementNumber);
    const token = new URL(back).searchParams.get('token')!;
    expect(token).toBeTruthy();
    // The person's browser arrives without any bearer token.
    const page = remember(await h.http().get(callbackPath(back)).set('x-request-id', 'req-callback-1').expect(200));
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('connected');
    expect(page.text).toContain('Kaffe &lt;b&gt;&amp; Kage&lt;/b&gt; ApS');
    expect(page.text).not.toContain('<b>& Kage');
    expect(page.text).toContain('Grant Flow Shop');

    const status = remember(await h.http().get(`/api/shops/${shop.id}/economic`).set(bearer).expect(200));
    expect(status.body).toMatchObject({ status: 'connected', agreementNumber: agreement.agreementNumber, companyName: 'Kaffe <b>& Kage</b> ApS', lastError: null });
    expect(Date.parse(status.body.connectedAt)).toBeGreaterThan(Date.now() - 60_000);

    const event = await h.events.waitFor((e) => e.subject === 'economic.connected' && e.envelope.shopId === shop.id);
    expect(event.envelope.correlationId).toBe('req-callback-1');
    const data = event.envelope.data as EconomicConnectedData;
    expect(data).toMatchObject({ agreementNumber: agreement.agreementNumber, companyName: 'Kaffe <b>& Kage</b> ApS' });
    expect(data.grantTokenEncrypted).not.toContain(token);
    expect(cipher.decrypt(data.grantTokenEncrypted)).toBe(token);

    const [row] = await sql<{ grant_token_encrypted: string }>(`SELECT grant_token_encrypted FROM "${h.schema}".connections WHERE shop_id = $1`, [shop.id]);
    expect(row!.grant_token_encrypted).not.toContain(token);
    expect(cipher.decrypt(row!.grant_token_encrypted)).toBe(token);
    seen.push(token);

    // The same link a second time: refused, nothing changes.
    const replay = await h.http().get(callbackPath(back)).expect(400);
    expect(replay.text).toMatch(/already used/);
    expect(replay.text).toMatch(/Start the connection again/);
    const replayJson = await h.http().get(callbackPath(back)).set('accept', 'application/json').expect(400);
    expect(replayJson.body).toMatchObject({ statusCode: 400, code: 'state_used', errors: [{ field: 'state' }] });
    expect(h.events.of('economic.connected', shop.id)).toHaveLength(1);
  });

  it('answers the grant page URL as JSON for an admin UI', async () => {
    const shop = await createShop(h);
    const res = remember(await h.http().get(`/api/shops/${shop.id}/economic/connect`).set(bearer).set('accept', 'application/json').expect(200));
    expect(res.body.url).toMatch(new RegExp(`^${h.sandbox.url}/requestaccess\\.aspx\\?appPublicToken=sandbox-app-public&redirectUrl=`));
    await h.http().get('/api/shops/6f1d2c7e-0000-4000-8000-000000000000/economic/connect').set(bearer).expect(404);
  });

  it('refuses a forged, missing, expired or token-less state and says to start again', async () => {
    const shop = await createShop(h);
    const grantPage = await startConnecting(shop);
    const state = new URL(new URL(grantPage).searchParams.get('redirectUrl')!).searchParams.get('state')!;
    const [id, signature] = state.split('.') as [string, string];

    const forged = await h.http().get(`/api/economic/callback?state=${id}.${signature.slice(1)}A&token=whatever`).set('accept', 'application/json').expect(400);
    expect(forged.body).toMatchObject({ code: 'state_forged', message: expect.stringMatching(/Start the connection again/) });
    const otherId = await h.http().get(`/api/economic/callback?state=6f1d2c7e-0000-4000-8000-000000000000.${signature}&token=whatever`).set('accept', 'application/json').expect(400);
    expect(otherId.body.code).toBe('state_forged');
    const missing = await h.http().get('/api/economic/callback?token=whatever').expect(400);
    expect(missing.text).toMatch(/no state parameter/);

    const noToken = await h.http().get(`/api/economic/callback?state=${encodeURIComponent(state)}`).set('accept', 'application/json').expect(400);
    expect(noToken.body).toMatchObject({ code: 'token_missing', errors: [{ field: 'token' }] });

    const agreement = h.sandbox.createAgreement('Too Late ApS');
    const late = await startConnecting(shop);
    const lateState = new URL(new URL(late).searchParams.get('redirectUrl')!).searchParams.get('state')!;
    await sql(`UPDATE "${h.schema}".connect_states SET expires_at = now() - interval '1 second' WHERE id = $1`, [lateState.split('.')[0]]);
    const expired = await h.http().get(`/api/economic/callback?state=${encodeURIComponent(lateState)}&token=${agreement.grantToken}`).expect(400);
    expect(expired.text).toMatch(/expired/);
    expect((await h.http().get(`/api/shops/${shop.id}/economic`).set(bearer).expect(200)).body.status).toBe('disconnected');
    expect(h.events.of('economic.connected', shop.id)).toHaveLength(0);
  });

  it('answers 422 when e-conomic rejects the token that came back', async () => {
    const shop = await createShop(h);
    const grantPage = await startConnecting(shop);
    const state = new URL(new URL(grantPage).searchParams.get('redirectUrl')!).searchParams.get('state')!;
    const res = await h.http().get(`/api/economic/callback?state=${encodeURIComponent(state)}&token=not-a-real-grant`).expect(422);
    expect(res.text).toMatch(/does not accept this grant token/);
  });

  describe('PUT /api/shops/:shopId/economic', () => {
    it('connects with a grant token the admin already has', async () => {
      const shop = await createShop(h);
      const agreement = h.sandbox.createAgreement('Direct Token ApS');
      seen.push(agreement.grantToken);
      const res = remember(await h.http().put(`/api/shops/${shop.id}/economic`).set(bearer).set('x-request-id', 'req-put-token').send({ grantToken: agreement.grantToken }).expect(200));
      expect(res.body).toMatchObject({ status: 'connected', agreementNumber: agreement.agreementNumber, companyName: 'Direct Token ApS' });
      const event = await h.events.waitFor((e) => e.subject === 'economic.connected' && e.envelope.shopId === shop.id);
      expect(event.envelope.correlationId).toBe('req-put-token');
      const list = remember(await h.http().get('/api/shops?limit=500').set(bearer).expect(200));
      expect(list.body.items.find((s: { id: string }) => s.id === shop.id).economic).toEqual({ status: 'connected', agreementNumber: agreement.agreementNumber, companyName: 'Direct Token ApS' });
      remember(await h.http().get(`/api/shops/${shop.id}`).set(bearer).expect(200));
    });

    it('answers 422 when e-conomic rejects the token, and changes nothing', async () => {
      const shop = await createShop(h);
      const res = await h.http().put(`/api/shops/${shop.id}/economic`).set(bearer).send({ grantToken: 'wrong-token-123' }).expect(422);
      expect(res.body).toMatchObject({ statusCode: 422, code: 'grant_token_rejected', errors: [{ field: 'grantToken' }] });
      expect(res.body.message).toMatch(/GET \/api\/shops\/:shopId\/economic\/connect/);
      expect((await h.http().get(`/api/shops/${shop.id}/economic`).set(bearer).expect(200)).body.status).toBe('disconnected');
    });

    it('answers 400 without a token and 404 for an unknown shop', async () => {
      const shop = await createShop(h);
      const res = await h.http().put(`/api/shops/${shop.id}/economic`).set(bearer).send({}).expect(400);
      expect(res.body.errors[0].field).toBe('grantToken');
      await h.http().put('/api/shops/6f1d2c7e-0000-4000-8000-000000000000/economic').set(bearer).send({ grantToken: 'abc' }).expect(404);
    });

    it('answers 503 when e-conomic is down, and stores nothing', async () => {
      const shop = await createShop(h);
      const agreement = h.sandbox.createAgreement('Flaky ApS');
      await sandboxCall(h.sandbox, 'PUT', '/__sandbox/faults', agreement.grantToken, { kinds: ['500'], count: 5 });
      const res = await h.http().put(`/api/shops/${shop.id}/economic`).set(bearer).send({ grantToken: agreement.grantToken }).expect(503);
      expect(res.body).toMatchObject({ code: 'economic_unavailable', message: expect.stringMatching(/try again/) });
      expect((await h.http().get(`/api/shops/${shop.id}/economic`).set(bearer).expect(200)).body.status).toBe('disconnected');
      await sandboxCall(h.sandbox, 'PUT', '/__sandbox/faults', agreement.grantToken, { rate: 0 });
    });
  });

  describe('status and disconnecting', () => {
    it('notices a revoked grant: status error, a message saying to reconnect, economic.disconnected', async () => {
      const shop = await createShop(h);
      const { grantToken } = await connectShop(h, shop, 'Revoked ApS');
      seen.push(grantToken);
      // Checked at connect time, so the next look does not ask e-conomic again.
      const fresh = await h.http().get(`/api/shops/${shop.id}/economic`).set(bearer).expect(200);
      expect(fresh.body.status).toBe('connected');

      expect((await sandboxCall(h.sandbox, 'DELETE', `/__sandbox/grants/${encodeURIComponent(grantToken)}`)).status).toBe(204);
      await sql(`UPDATE "${h.schema}".connections SET last_checked_at = now() - interval '31 seconds' WHERE shop_id = $1`, [shop.id]);
      const res = remember(await h.http().get(`/api/shops/${shop.id}/economic`).set(bearer).set('x-request-id', 'req-revoked').expect(200));
      expect(res.body).toMatchObject({ status: 'error', companyName: 'Revoked ApS' });
      expect(res.body.lastError).toMatch(/revoked/);
      expect(res.body.lastError).toMatch(/connect again/);
      const event = await h.events.waitFor((e) => e.subject === 'economic.disconnected' && e.envelope.shopId === shop.id);
      expect(event.envelope).toMatchObject({ data: {}, correlationId: 'req-revoked' });
      const [row] = await sql<{ grant_token_encrypted: string | null }>(`SELECT grant_token_encrypted FROM "${h.schema}".connections WHERE shop_id = $1`, [shop.id]);
      expect(row!.grant_token_encrypted).toBeNull();

      // Looking again does not publish again; connecting again recovers.
      await h.http().get(`/api/shops/${shop.id}/economic`).set(bearer).expect(200);
      const again = await connectShop(h, shop, 'Revoked ApS');
      seen.push(again.grantToken);
      expect((await h.http().get(`/api/shops/${shop.id}/economic`).set(bearer).expect(200)).body).toMatchObject({ status: 'connected', lastError: null });
      // The outbox publishes in order: once the second connect is out, a second disconnect would be too.
      await h.events.waitFor((e) => e.subject === 'economic.connected' && e.envelope.shopId === shop.id && e !== h.events.of('economic.connected', shop.id)[0]);
      expect(h.events.of('economic.disconnected', shop.id)).toHaveLength(1);
    });

    it('keeps the connection when e-conomic does not answer the check, and says so', async () => {
      const shop = await createShop(h);
      const { grantToken } = await connectShop(h, shop, 'Slow ApS');
      seen.push(grantToken);
      await sandboxCall(h.sandbox, 'PUT', '/__sandbox/faults', grantToken, { kinds: ['500'], count: 1 });
      await sql(`UPDATE "${h.schema}".connections SET last_checked_at = now() - interval '31 seconds' WHERE shop_id = $1`, [shop.id]);
      const res = await h.http().get(`/api/shops/${shop.id}/economic`).set(bearer).expect(200);
      expect(res.body.status).toBe('connected');
      expect(res.body.lastError).toMatch(/no answer from e-conomic.*kept/);
      await sandboxCall(h.sandbox, 'PUT', '/__sandbox/faults', grantToken, { rate: 0 });
    });

    it('disconnects: forgets the token and publishes economic.disconnected once', async () => {
      const shop = await createShop(h);
      const { grantToken } = await connectShop(h, shop, 'Leaving ApS');
      seen.push(grantToken);
      const res = await h.http().delete(`/api/shops/${shop.id}/economic`).set(bearer).expect(200);
      expect(res.body).toEqual({ status: 'disconnected', agreementNumber: null, companyName: null, connectedAt: null, lastCheckedAt: null, lastError: null });
      await h.events.waitFor((e) => e.subject === 'economic.disconnected' && e.envelope.shopId === shop.id);
      const [row] = await sql<{ grant_token_encrypted: string | null; status: string }>(`SELECT status, grant_token_encrypted FROM "${h.schema}".connections WHERE shop_id = $1`, [shop.id]);
      expect(row).toEqual({ status: 'disconnected', grant_token_encrypted: null });
      await h.http().delete(`/api/shops/${shop.id}/economic`).set(bearer).expect(200);
      await h.http().get(`/api/shops/${shop.id}/economic`).set(bearer).expect(200);
      // A later change proves the outbox has caught up: still a single disconnect.
      await h.http().patch(`/api/shops/${shop.id}/settings`).set(bearer).send({ bookingMode: 'draft' }).expect(200);
      await h.events.waitFor((e) => e.subject === 'settings.updated' && e.envelope.shopId === shop.id && (e.envelope.data as { bookingMode: string }).bookingMode === 'draft');
      expect(h.events.of('economic.disconnected', shop.id)).toHaveLength(1);
      await h.http().delete('/api/shops/6f1d2c7e-0000-4000-8000-000000000000/economic').set(bearer).expect(404);
      await h.http().get('/api/shops/6f1d2c7e-0000-4000-8000-000000000000/economic').set(bearer).expect(404);
    });
  });

  it('never shows a grant token in any response', () => {
    const tokens = seen.filter((s) => s.length > 0 && s.length < 200 && !s.includes('{'));
    expect(tokens.length).toBeGreaterThan(3);
    const bodies = seen.filter((s) => !tokens.includes(s)).join('\n');
    for (const token of tokens) expect(bodies).not.toContain(token);
  });
});
