import { Injectable } from '@nestjs/common';
import { BookedInvoice, DraftInvoice, EconomicClient, EconomicNotFoundError, filter, JournalEntry } from '@bogholder/economic-client';

/**
 * Finds our documents again by the reference they carry (CONTRACT.md §3c). Used only after an
 * uncertain outcome (a crash with an intent recorded, a timeout, a lost answer), never in the
 * steady state. e-conomic compares text case-insensitively, so results are matched exactly here.
 */
@Injectable()
export class DocumentLookupService {
  async draftsByReference(client: EconomicClient, reference: string, signal?: AbortSignal): Promise<DraftInvoice[]> {
    const items = await client.invoices.drafts.list({ filter: filter.eq('references.other', reference), pageSize: 100, signal }).toArray();
    return items.filter((d) => d.references?.other === reference).sort((a, b) => a.draftInvoiceNumber - b.draftInvoiceNumber);
  }

  async bookedByReference(client: EconomicClient, reference: string, signal?: AbortSignal): Promise<BookedInvoice[]> {
    const items = await client.invoices.booked.list({ filter: filter.eq('references.other', reference), pageSize: 100, signal }).toArray();
    return items.filter((b) => b.references?.other === reference).sort((a, b) => a.bookedInvoiceNumber - b.bookedInvoiceNumber);
  }

  async draft(client: EconomicClient, draftInvoiceNumber: number, signal?: AbortSignal): Promise<DraftInvoice | null> {
    try {
      return await client.invoices.drafts.get(draftInvoiceNumber, { signal });
    } catch (err) {
      if (err instanceof EconomicNotFoundError) return null;
      throw err;
    }
  }

  async booked(client: EconomicClient, bookedInvoiceNumber: number, signal?: AbortSignal): Promise<BookedInvoice | null> {
    try {
      return await client.invoices.booked.get(bookedInvoiceNumber, { signal });
    } catch (err) {
      if (err instanceof EconomicNotFoundError) return null;
      throw err;
    }
  }

  /** A journal's unbooked entries with this text (how a posted payment is found again). */
  async journalEntriesByText(client: EconomicClient, journalNumber: number, text: string, signal?: AbortSignal): Promise<JournalEntry[]> {
    const items = await client.journals.entries(journalNumber).list({ filter: filter.eq('text', text), pageSize: 100, signal }).toArray();
    return items.filter((e) => e.text === text);
  }
}
