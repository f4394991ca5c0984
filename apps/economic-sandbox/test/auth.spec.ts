import { Api, customerBody, useSandbox } from './support/sandbox';

describe('authentication and request rules', () => {
  const { sb, fresh } = useSandbox();

  function expectEnvelope(body: any, status: number) {
    expect(body).toEqual(
      expect.objectContaining({
        message: expect.any(String),
        developerHint: expect.any(String),
        httpStatusCode: status,
        logId: expect.stringMatching(/^[0-9a-f]{16}-CPH$/),
        logTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
      }),
    );
  }

  it('answers /self for a valid grant', async () => {
    const api = fresh();
    const res = await api.get('/self');
    expect(res.status).toBe(200);
    expect(res.body.agreementNumber).toEqual(expect.any(Number));
    expect(res.body.self).toBe(`${sb().url}/self`);
    expect(res.body.company.companyIdentificationNumber).toMatch(/^\d{8}$/);
    expect(res.body.canSendElectronicInvoice).toBe(true);
    expect(res.body.modules).toEqual(expect.arrayContaining([expect.objectContaining({ moduleNumber: 15, name: 'Lager' })]));
    expect(res.body.settings.baseCurrency).toBe('DKK');
  });

  it('answers 401 with the error envelope when headers are missing', async () => {
    fresh();
    const res = await fetch(`${sb().url}/customers`);
    expect(res.status).toBe(401);
    expectEnvelope(await res.json(), 401);
  });

  it('answers 401 for an unknown grant token or a wrong app secret', async () => {
    const api = fresh();
    expect((await new Api(sb(), 'no-such-token').get('/self')).status).toBe(401);
    const wrongSecret = new Api(sb(), api.token, 'wrong-secret');
    const res = await wrongSecret.get('/self');
    expect(res.status).toBe(401);
    expectEnvelope(res.body, 401);
  });

  it('answers 401 once the grant is revoked', async () => {
    const api = fresh();
    expect((await api.get('/self')).status).toBe(200);
    expect((await api.control('DELETE', `/grants/${encodeURIComponent(api.token)}`)).status).toBe(204);
    const res = await api.get('/self');
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/revoked/);
  });

  it('lets demo/demo read the first agreement but answers 403 to anything else', async () => {
    const api = fresh();
    const demo = new Api(sb(), 'demo', 'demo');
    const self = await demo.get('/self');
    expect(self.status).toBe(200);
    expect(self.body.agreementNumber).toBe((await api.get('/self')).body.agreementNumber);
    const post = await demo.post('/customers', customerBody());
    expect(post.status).toBe(403);
    expectEnvelope(post.body, 403);
    expect((await api.get('/customers')).body.collection).toHaveLength(0);
  });

  it('accepts ?demo=true without headers for reading', async () => {
    fresh();
    const res = await fetch(`${sb().url}/layouts?demo=true`);
    expect(res.status).toBe(200);
  });

  it('answers 415 when a body is not application/json', async () => {
    const api = fresh();
    const res = await api.request('POST', '/customers', undefined, { 'Content-Type': 'text/plain' });
    expect(res.status).toBe(415);
    expectEnvelope(res.body, 415);
    const none = await fetch(`${sb().url}/customers`, {
      method: 'POST',
      headers: { 'X-AppSecretToken': api.secret, 'X-AgreementGrantToken': api.token },
      body: JSON.stringify(customerBody()),
    });
    expect(none.status).toBe(415);
  });

  it('answers 400 for malformed JSON', async () => {
    const api = fresh();
    const res = await fetch(`${sb().url}/customers`, {
      method: 'POST',
      headers: { 'X-AppSecretToken': api.secret, 'X-AgreementGrantToken': api.token, 'Content-Type': 'application/json' },
      body: '{"name": ',
    });
    expect(res.status).toBe(400);
    expectEnvelope(await res.json(), 400);
  });

  it('answers 404 like e-conomic for unknown routes and unknown resources', async () => {
    const api = fresh();
    const route = await api.get('/no-such-thing');
    expect(route.status).toBe(404);
    expect(route.body.message).toBe('Resource not found.');
    expect(route.body.errorCode).toBeUndefined();
    expectEnvelope(route.body, 404);
    expect((await api.get('/customers/424242')).status).toBe(404);
    expect((await api.get('/customers/abc')).status).toBe(404);
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const api = fresh();
    const res = await api.put('/customers', {});
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toContain('GET');
    expectEnvelope(res.body, 405);
    expect((await api.post('/layouts', {})).status).toBe(405);
  });

  it('serves /__sandbox/health without auth', async () => {
    const res = await fetch(`${sb().url}/__sandbox/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});
