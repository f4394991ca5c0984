export { AppModule } from './app.module';
export { InventoryEnv } from './config/env';
export { ReconcileService, type ReconcileResult } from './modules/stock/reconcile.service';
