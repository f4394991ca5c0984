import { Injectable } from '@nestjs/common';
import type { InventoryStatusReply } from '@bogholder/contracts';
import { ShopDirectory } from '@bogholder/service-kit';
import { toIso } from '../../common/numeric';
import { DeliveriesService } from '../deliveries/deliveries.service';
import { MismatchesService } from '../mismatches/mismatches.service';
import { ShopProfilesService } from '../shops/shop-profiles.service';
import { SyncStateService } from '../shops/sync-state.service';
import { StockService } from './stock.service';

/** What an admin sees about a shop's stock sync: is it working, and if not, what to do. */
@Injectable()
export class StatusService {
  constructor(
    private readonly directory: ShopDirectory,
    private readonly sync: SyncStateService,
    private readonly profiles: ShopProfilesService,
    private readonly stock: StockService,
    private readonly deliveries: DeliveriesService,
    private readonly mismatches: MismatchesService,
  ) {}

  async status(shopId: string): Promise<InventoryStatusReply> {
    const [shop, state, profile, skusTracked, deliveries, openMismatches] = await Promise.all([
      this.directory.get(shopId), this.sync.get(shopId), this.profiles.get(shopId), this.stock.count(shopId), this.deliveries.counts(shopId), this.mismatches.openCount(shopId),
    ]);
    const stockSync = shop.settings.stockSync;
    let status: InventoryStatusReply['status'];
    let message: string;
    if (!stockSync) {
      status = 'off';
      message = 'stock sync is off for this shop: set stockSync to true in its settings to keep the shop\'s stock in step with e-conomic';
    } else if (!shop.connected) {
      status = 'not-connected';
      message = 'stock sync is on, but the shop is not connected to e-conomic: connect it (GET /api/shops/:shopId/economic/connect) and stock is read right away';
    } else if (state?.status === 'no-inventory-module' || state?.status === 'error') {
      status = state.status;
      message = state.message ?? state.status;
    } else {
      status = 'ok';
      message = state?.status === 'ok' && state.message ? state.message : 'stock sync is on; the first reconciliation is due now';
    }
    const notes: string[] = [];
    if (stockSync && !profile?.callbackUrl) {
      notes.push('the shop has no callbackUrl, so stock.changed is published on NATS only and nothing is POSTed to the shop: set a callbackUrl on the shop to receive it');
    }
    if (deliveries.dead > 0) notes.push(`${deliveries.dead} deliver${deliveries.dead === 1 ? 'y' : 'ies'} to the callbackUrl gave up (dead): list them with status "dead" and redeliver once the shop answers 2xx again`);
    return {
      stockSync,
      status,
      message: [message, ...notes].join('; '),
      lastReconciledAt: toIso(state?.lastReconciledAt),
      skusTracked,
      nextReconcileAt: stockSync && shop.connected ? toIso(state?.nextRunAt) ?? new Date().toISOString() : null,
      effectiveIntervalSeconds: state?.effectiveIntervalSeconds ?? null,
      callbackConfigured: Boolean(profile?.callbackUrl),
      pendingDeliveries: deliveries.pending,
      deadDeliveries: deliveries.dead,
      openMismatches,
    };
  }
}
