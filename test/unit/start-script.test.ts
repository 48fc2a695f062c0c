import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('npm start without an Electron binary', () => {
  it('explains in one paragraph why, and what to run instead, without a stack trace', () => {
    const result = spawnSync(process.execPath, ['scripts/start.mjs'], {
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent/electron-dist' },
    });
    expect(result.status).toBe(1);
    const text = result.stderr.trim();
    expect(text.split('\n')).toHaveLength(1); // one paragraph
    expect(text).toContain('cannot open its window');
    expect(text).toContain('/nonexistent/electron-dist');
    expect(text).toContain('npm run serve');
    expect(text).not.toMatch(/^\s+at /m);
  });
});
