/**
 * The short chaos run of CI (`npm run chaos` is the long one): orders from two shops while services
 * are killed and restarted, NATS and PostgreSQL are restarted and e-conomic fails 30% of requests.
 * Nothing may be lost, nothing booked or paid twice, and every order must end booked or parked with a
 * reason. It runs on private PostgreSQL and NATS servers, so the restarts disturb no other test.
 */
import { printReport, runChaos } from '@bogholder/cli';

it('loses nothing and books nothing twice under crashes, restarts and e-conomic faults', async () => {
  const lines: string[] = [];
  const seed = Number(process.env.CHAOS_SEED ?? 20261204);
  const report = await runChaos({
    seconds: Number(process.env.CHAOS_SECONDS ?? 45),
    rate: 6,
    shops: 2,
    faultRate: 0.3,
    chaosEvery: [3, 6],
    seed,
    log: (s) => lines.push(s),
  });
  printReport(report, (s) => lines.push(s));
  process.stdout.write(`chaos run (seed ${seed}):\n${lines.join('\n')}\n`);
  expect(report.accepted).toBeGreaterThan(100);
  expect(report.problems).toEqual([]);
  expect({ lost: report.lost, duplicated: report.duplicated, unfinished: report.unfinished, paymentsDuplicated: report.paymentsDuplicated })
    .toEqual({ lost: 0, duplicated: 0, unfinished: 0, paymentsDuplicated: 0 });
  expect(report.paymentsPosted).toBe(report.booked);
  expect(Object.values(report.actions).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);
}, 600_000);
