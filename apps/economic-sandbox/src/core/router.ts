/** A tiny router: `/customers/:customerNumber/contacts` style patterns, exact segment matches. */
export interface Match<H> {
  handler: H;
  params: Record<string, string>;
}

export type RouteResult<H> = { kind: 'match'; match: Match<H> } | { kind: 'method'; allowed: string[] } | { kind: 'none' };

interface Route<H> {
  method: string;
  segments: string[];
  handler: H;
}

export class Router<H> {
  private readonly routes: Route<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    this.routes.push({ method: method.toUpperCase(), segments: split(pattern), handler });
    return this;
  }

  get(p: string, h: H): this {
    return this.add('GET', p, h);
  }
  post(p: string, h: H): this {
    return this.add('POST', p, h);
  }
  put(p: string, h: H): this {
    return this.add('PUT', p, h);
  }
  patch(p: string, h: H): this {
    return this.add('PATCH', p, h);
  }
  delete(p: string, h: H): this {
    return this.add('DELETE', p, h);
  }

  resolve(method: string, path: string): RouteResult<H> {
    const segs = split(path);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segs);
      if (!params) continue;
      if (route.method === method) return { kind: 'match', match: { handler: route.handler, params } };
      if (!allowed.includes(route.method)) allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'method', allowed } : { kind: 'none' };
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchSegments(pattern: string[], segs: string[]): Record<string, string> | undefined {
  if (pattern.length !== segs.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const s = segs[i]!;
    if (p.startsWith(':')) params[p.slice(1)] = s;
    else if (p.toLowerCase() !== s.toLowerCase()) return undefined;
  }
  return params;
}
