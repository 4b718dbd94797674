import { describe, expect, it } from 'vitest';
import { METRICS } from '@reelroom/contracts';
import { ApiMetrics } from './api-metrics.js';

const ours = (m: ApiMetrics) =>
  m.registry
    .getMetricsAsArray()
    .filter((x) => x.name.startsWith('reelroom_'))
    .map((x) => ({ name: x.name, type: String(x.type) }));

describe('ApiMetrics', () => {
  it('registers exactly the catalogue entries the API owns, with their types', () => {
    const expected = Object.values(METRICS)
      .filter((m) => m.app === 'api')
      .map((m) => ({ name: m.name, type: m.type }));
    expect(ours(new ApiMetrics()).sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      expected.sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it('counts accepted chat messages and sync commands, with a bounded action label', async () => {
    const m = new ApiMetrics();
    m.socketEventAccepted('chat:send', { body: 'hi' });
    m.socketEventAccepted('chat:typing', { typing: true });
    m.socketEventAccepted('sync:command', { type: 'seek', position: 3, baseSeq: 1 });
    m.socketEventAccepted('sync:command', { type: 'x'.repeat(200) });
    m.socketEventAccepted('sync:command', null);
    const text = await m.text();
    expect(text).toMatch(/^reelroom_chat_messages_total\{app="api"\} 1$/m);
    expect(text).toMatch(/^reelroom_sync_commands_total\{action="seek",app="api"\} 1$/m);
    expect(text).toMatch(/^reelroom_sync_commands_total\{action="other",app="api"\} 2$/m);
  });

  it('reports queue views, lives and the socket source at scrape time', async () => {
    const m = new ApiMetrics();
    m.setQueues([
      {
        name: 'media',
        paused: true,
        counts: { waiting: 4, active: 1, delayed: 0, failed: 2, completed: 7 },
        oldestWaitingSec: 12.5,
        workers: 3,
      },
    ]);
    m.setLiveStreams({ starting: 1, live: 2 });
    m.reportSocketsWith(() => ({ sockets: 9, rooms: 2 }));
    let held = 3;
    m.reportHeldRequestsWith(() => held);
    const text = await m.text();
    expect(text).toMatch(/^reelroom_queue_jobs\{queue="media",state="waiting",app="api"\} 4$/m);
    expect(text).toMatch(/^reelroom_queue_oldest_waiting_seconds\{queue="media",app="api"\} 12.5$/m);
    expect(text).toMatch(/^reelroom_queue_paused\{queue="media",app="api"\} 1$/m);
    expect(text).toMatch(/^reelroom_queue_workers\{queue="media",app="api"\} 3$/m);
    expect(text).toMatch(/^reelroom_live_streams\{state="live",app="api"\} 2$/m);
    expect(text).toMatch(/^reelroom_sockets\{app="api"\} 9$/m);
    expect(text).toMatch(/^reelroom_rooms\{app="api"\} 2$/m);
    expect(text).toMatch(/^reelroom_hls_held_requests\{app="api"\} 3$/m);
    held = 0;
    expect(await m.text()).toMatch(/^reelroom_hls_held_requests\{app="api"\} 0$/m);
  });
});
