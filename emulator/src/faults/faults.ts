// Fault injection: what QA uses to make the emulator misbehave on purpose.
// Rules apply to plain HTTP routes and to calls tunnelled through Twilsock alike.

export interface FailureRule {
  /** HTTP method to match, any if absent. */
  method?: string;
  /** Matches when the request path (for tunnelled calls, host + path) contains this. */
  path: string;
  remaining: number;
  status: number;
  /** Twilio error code in the answer. */
  code: number;
  message: string;
}

export type FailureInput = Omit<FailureRule, 'remaining' | 'code' | 'message'> & { count: number; code?: number; message?: string };

export class Faults {
  latencyMs = 0;
  private rules: FailureRule[] = [];

  failNext(input: FailureInput): FailureRule {
    const rule: FailureRule = {
      ...(input.method ? { method: input.method.toUpperCase() } : {}),
      path: input.path,
      remaining: input.count,
      status: input.status,
      code: input.code ?? (input.status === 429 ? 20429 : input.status >= 500 ? 20500 : 20001),
      message: input.message ?? `Injected failure (${input.status})`,
    };
    this.rules.push(rule);
    return rule;
  }

  /** The rule that fails this request, if any; each use counts down once. */
  take(method: string, path: string): FailureRule | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && (!r.method || r.method === method.toUpperCase()) && path.includes(r.path));
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return rule;
  }

  async delay(): Promise<void> {
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
  }

  describe() {
    return { latencyMs: this.latencyMs, failures: this.rules.map((rule) => ({ ...rule })) };
  }

  reset(): void {
    this.latencyMs = 0;
    this.rules = [];
  }
}
