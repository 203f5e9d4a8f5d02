import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { newDnsResolver, resolveHost } from './ssrf-guard';

/**
 * A tiny authoritative DNS server on 127.0.0.1 (UDP, an ephemeral port): the resolver is the real
 * c-ares one, pointed at it, so nothing leaves the machine.
 */
class FakeNameServer {
  readonly questions: string[] = [];
  private socket?: Socket;
  constructor(private readonly zone: Record<string, { A?: string[]; AAAA?: string[] } | 'NXDOMAIN' | 'SILENT'>) {}

  async start(): Promise<string> {
    this.socket = createSocket('udp4');
    this.socket.on('message', (msg, from) => {
      let at = 12;
      const labels: string[] = [];
      while (msg[at]! > 0) {
        labels.push(msg.subarray(at + 1, at + 1 + msg[at]!).toString('ascii'));
        at += msg[at]! + 1;
      }
      const name = labels.join('.').toLowerCase();
      const qtype = msg.readUInt16BE(at + 1);
      const questionEnd = at + 5;
      const type = qtype === 1 ? 'A' : qtype === 28 ? 'AAAA' : 'OTHER';
      this.questions.push(`${type} ${name}`);
      const entry = this.zone[name];
      if (entry === 'SILENT') return;
      const rcode = entry === undefined || entry === 'NXDOMAIN' ? 3 : 0;
      const records = entry && entry !== 'NXDOMAIN' && type !== 'OTHER' ? (entry[type] ?? []) : [];
      const header = Buffer.alloc(12);
      header.writeUInt16BE(msg.readUInt16BE(0), 0);
      header.writeUInt16BE(0x8180 | rcode, 2);
      header.writeUInt16BE(1, 4);
      header.writeUInt16BE(records.length, 6);
      const answers = records.map((address) => {
        const rdata = type === 'A' ? Buffer.from(address.split('.').map(Number)) : Buffer.from(expandIpv6(address), 'hex');
        const rr = Buffer.alloc(12);
        rr.writeUInt16BE(0xc00c, 0);
        rr.writeUInt16BE(qtype, 2);
        rr.writeUInt16BE(1, 4);
        rr.writeUInt32BE(60, 6);
        rr.writeUInt16BE(rdata.length, 10);
        return Buffer.concat([rr, rdata]);
      });
      this.socket!.send(Buffer.concat([header, msg.subarray(12, questionEnd), ...answers]), from.port, from.address);
    });
    await new Promise<void>((resolve) => this.socket!.bind(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.socket.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.socket ? this.socket.close(() => resolve()) : resolve()));
  }
}

function expandIpv6(address: string): string {
  const [head, tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((g) => g.padStart(4, '0')).join('');
}

describe('webhook host resolution (c-ares against a local name server)', () => {
  const server = new FakeNameServer({
    'hooks.example.test': { A: ['203.0.113.7', '203.0.113.8'], AAAA: ['2001:db8::7'] },
    'v6only.example.test': { AAAA: ['2001:db8::9'] },
    'gone.example.test': 'NXDOMAIN',
    'silent.example.test': 'SILENT',
  });
  let dns: ReturnType<typeof newDnsResolver>;

  beforeAll(async () => {
    dns = newDnsResolver([await server.start()]);
  });
  afterAll(async () => {
    dns.cancel();
    await server.stop();
  });

  it('returns every A and AAAA record, IPv4 first', async () => {
    expect(await resolveHost(dns, 'Hooks.Example.Test.')).toEqual([
      { address: '203.0.113.7', family: 4 },
      { address: '203.0.113.8', family: 4 },
      { address: '2001:db8::7', family: 6 },
    ]);
    expect(await resolveHost(dns, 'v6only.example.test')).toEqual([{ address: '2001:db8::9', family: 6 }]);
  });

  it('fails for a name that does not exist', async () => {
    await expect(resolveHost(dns, 'gone.example.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('gives up on a name server that never answers (the query times out instead of holding a thread)', async () => {
    await expect(resolveHost(dns, 'silent.example.test')).rejects.toMatchObject({ code: 'ETIMEOUT' });
  });

  it('answers localhost names with loopback without asking anyone', async () => {
    const before = server.questions.length;
    expect(await resolveHost(dns, 'localhost')).toEqual([
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
    expect(await resolveHost(dns, 'api.localhost')).toHaveLength(2);
    expect(server.questions.length).toBe(before);
  });
});
