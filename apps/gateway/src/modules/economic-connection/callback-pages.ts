import { escapeHtml, htmlPage } from '../../common/html';
import type { ConnectionStatusDto } from './dto/connection.dto';

/** The page a person sees after approving access in e-conomic. */
export function connectedPage(shopName: string, connection: ConnectionStatusDto): string {
  return htmlPage(
    'e-conomic connected',
    `<h1 class="ok">e-conomic connected</h1>
<p>The shop <strong>${escapeHtml(shopName)}</strong> is now connected to e-conomic agreement ${escapeHtml(connection.agreementNumber)}
(<strong>${escapeHtml(connection.companyName)}</strong>).</p>
<p>Orders that were waiting for the connection are transferred now. You can close this window.</p>`,
  );
}

export function connectFailedPage(status: number, message: string): string {
  return htmlPage(
    'e-conomic not connected',
    `<h1 class="bad">e-conomic was not connected</h1>
<p>${escapeHtml(message)}</p>
<p>Nothing was changed (HTTP ${escapeHtml(status)}). Start the connection again from the admin.</p>`,
  );
}
