import { embeddedIpv4, refusedAddressReason, resolveWebhookTarget, WebhookTargetRefusedError } from './webhook-target.guard';

describe('webhook target guard', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd12::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '64:ff9b::a00:1',
    // IPv6 forms that embed an IPv4 address (#23 finding 7): the IPv4 rules apply to what they carry.
    '::ffff:7F00:1',
    '::7f00:1',
    '::127.0.0.1',
    '::ffff:0:7f00:1',
    '::ffff:0:127.0.0.1',
    '2002:7f00:1::',
    '2002:a00:1:1234::1',
    '64:ff9b::127.0.0.1',
    '64:ff9b::c0a8:101',
    '0:0:0:0:0:ffff:a9fe:a9fe',
    // Tunnels whose IPv4 end cannot be read back: refused outright.
    '2001::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '64:ff9b:1::808:808',
    'fec0::1',
    'fe80::1%eth0',
  ])('refuses %s', (address) => {
    expect(refusedAddressReason(address, false)).not.toBeNull();
  });

  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::ffff:7f00:1', '127.0.0.1'],
    ['::7f00:1', '127.0.0.1'],
    ['::ffff:0:7f00:1', '127.0.0.1'],
    ['2002:7f00:1::', '127.0.0.1'],
    ['2002:c0a8:101:5::9', '192.168.1.1'],
    ['64:ff9b::808:808', '8.8.8.8'],
    ['::a9fe:a9fe', '169.254.169.254'],
    ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', null],
    ['fd00:ec2::254', null],
  ])('reads the IPv4 address %s carries', (address, v4) => {
    expect(embeddedIpv4(address)).toBe(v4);
  });

  it.each(['2002:808:808::1', '64:ff9b::808:808', '::ffff:808:808'])('allows %s, which carries the public 8.8.8.8', (address) => {
    expect(refusedAddressReason(address, false)).toBeNull();
  });

  it.each(['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c', '8.8.8.8'])('allows public %s', (address) => {
    expect(refusedAddressReason(address, false)).toBeNull();
  });

  it('allows private targets when configured, never metadata', () => {
    expect(refusedAddressReason('127.0.0.1', true)).toBeNull();
    expect(refusedAddressReason('169.254.169.254', true)).toMatch(/metadata/);
    expect(refusedAddressReason('::ffff:169.254.169.254', true)).toMatch(/metadata/);
    for (const metadata of ['::a9fe:a9fe', '::ffff:a9fe:a9fe', '::ffff:0:a9fe:a9fe', '2002:a9fe:a9fe::', '64:ff9b::a9fe:a9fe', 'fd00:ec2::254', 'fd00:ec2:0::254', 'fd20:ce::254', '100.100.100.200', '169.254.170.2']) {
      expect({ metadata, reason: refusedAddressReason(metadata, true) }).toEqual({ metadata, reason: 'is a cloud metadata address' });
    }
    expect(refusedAddressReason('2001::7f00:1', true)).toMatch(/tunnel/);
    expect(refusedAddressReason('::ffff:7f00:1', true)).toBeNull();
  });

  it('never says what an internal host name resolves to', async () => {
    for (const address of ['10.0.0.5', '::7f00:1', '169.254.169.254', '2002:a00:5::']) {
      const refusal = resolveWebhookTarget('https://internal.example.com/x', { allowPrivate: false, resolve: async () => [{ address, family: address.includes(':') ? 6 : 4 }] });
      await expect(refusal).rejects.toThrow(/^host internal\.example\.com resolves to a (private or reserved|cloud metadata) address$/);
    }
    const inTestMode = resolveWebhookTarget('http://metadata.internal/x', { allowPrivate: true, resolve: async () => [{ address: '::a9fe:a9fe', family: 6 }] });
    await expect(inTestMode).rejects.toThrow('host metadata.internal resolves to a cloud metadata address');
    await expect(resolveWebhookTarget('https://[2002:7f00:1::]/x', { allowPrivate: false })).rejects.toThrow('address 2002:7f00:1:: is a loopback, private, link-local or reserved address');
  });

  it('refuses a host when ANY resolved address is private (DNS rebinding)', async () => {
    const resolve = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ];
    await expect(resolveWebhookTarget('https://hooks.example.com/x', { allowPrivate: false, resolve })).rejects.toThrow(
      WebhookTargetRefusedError,
    );
    const ok = await resolveWebhookTarget('https://hooks.example.com/x', {
      allowPrivate: false,
      resolve: async () => [{ address: '93.184.215.14', family: 4 }],
    });
    expect(ok.addresses).toEqual([{ address: '93.184.215.14', family: 4 }]);
  });

  it('requires https and no credentials unless private targets are allowed', async () => {
    await expect(resolveWebhookTarget('http://93.184.215.14/x', { allowPrivate: false })).rejects.toThrow(/https/);
    await expect(resolveWebhookTarget('https://u:p@93.184.215.14/x', { allowPrivate: false })).rejects.toThrow(/credentials/);
    await expect(resolveWebhookTarget('http://127.0.0.1:9/x', { allowPrivate: true })).resolves.toMatchObject({ addresses: [{ address: '127.0.0.1' }] });
    await expect(resolveWebhookTarget('https://[::1]/x', { allowPrivate: false })).rejects.toThrow(/loopback/);
  });
});
