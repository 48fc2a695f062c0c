import { describe, expect, it } from 'vitest';
import { listen, PortInUseError } from '../../main/shared/listen';

describe('listen', () => {
  it('reports a busy port by name and number, with how to pick another', async () => {
    const first = await listen((_, res) => res.end('ok'), {
      host: '127.0.0.1',
      port: 0,
      label: 'MCP server',
      howToChange: 'Use --port.',
    });
    try {
      const error = await listen(() => undefined, {
        host: '127.0.0.1',
        port: first.port,
        label: 'MCP server',
        howToChange: 'Use --port.',
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toBe(
        `The MCP server cannot start: port ${first.port} on 127.0.0.1 is already in use. Use --port.`,
      );
    } finally {
      await first.close();
    }
  });

  it('closes even while a client holds a keep-alive connection open', async () => {
    const server = await listen((_, res) => res.end('ok'), {
      host: '127.0.0.1',
      port: 0,
      label: 'x',
      howToChange: '',
    });
    const response = await fetch(`http://127.0.0.1:${server.port}/`, {
      headers: { connection: 'keep-alive' },
    });
    expect(await response.text()).toBe('ok');
    await server.close();
    await expect(fetch(`http://127.0.0.1:${server.port}/`)).rejects.toThrow();
  });
});
