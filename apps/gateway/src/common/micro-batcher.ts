/**
 * Groups single operations into batches: items arriving while a batch is in flight wait for the
 * next one, so under load one database round trip serves many requests (and when idle an item is
 * sent at once). Each caller gets its own item's result or the batch's error.
 */
export class MicroBatcher<In, Out> {
  private queue: { item: In; resolve: (v: Out) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;

  constructor(
    private readonly run: (items: In[]) => Promise<Out[]>,
    private readonly options: { maxBatch: number; maxConcurrent: number } = { maxBatch: 500, maxConcurrent: 1 },
  ) {}

  add(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.inFlight < this.options.maxConcurrent) this.flush();
    });
  }

  private flush(): void {
    if (!this.queue.length) return;
    const batch = this.queue.splice(0, this.options.maxBatch);
    this.inFlight++;
    this.run(batch.map((b) => b.item)).then(
      (results) => batch.forEach((b, i) => b.resolve(results[i]!)),
      (err) => batch.forEach((b) => b.reject(err)),
    ).finally(() => {
      this.inFlight--;
      this.flush();
    });
  }
}
