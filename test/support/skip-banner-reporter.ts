import type { Reporter, TestModule } from 'vitest/node';
import { NO_POSTGRES_NOTE } from './postgres-probe.js';

/**
 * Ends a run that had no PostgreSQL with a banner naming every suite it skipped for that, so
 * a green run without the database never passes for a full one.
 */
export default class SkipBannerReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped = new Map<string, Map<string, number>>();
    let total = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state !== 'skipped' || result.note !== NO_POSTGRES_NOTE) continue;
        const suite = test.parent.type === 'suite' ? test.parent.fullName : '(top level)';
        const suites = skipped.get(module.relativeModuleId) ?? new Map<string, number>();
        suites.set(suite, (suites.get(suite) ?? 0) + 1);
        skipped.set(module.relativeModuleId, suites);
        total += 1;
      }
    }
    if (total === 0) return;
    const rule = '!'.repeat(78);
    const lines = [
      '',
      rule,
      `!! SKIPPED ${total} tests: ${NO_POSTGRES_NOTE}. This run did NOT test PostgreSQL.`,
      '!! Start it (.ci/run does) and run again. Skipped suites:',
      ...[...skipped].flatMap(([file, suites]) => [
        `!!   ${file}`,
        ...[...suites].map(([suite, count]) => `!!     - ${suite} (${count} tests)`),
      ]),
      rule,
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
