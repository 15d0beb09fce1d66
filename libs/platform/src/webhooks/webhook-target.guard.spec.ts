import { refusedAddressReason, resolveWebhookTarget, WebhookTargetRefusedError } from './webhook-target.guard';

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
  ])('refuses %s', (address) => {
    expect(refusedAddressReason(address, false)).not.toBeNull();
  });

  it.each(['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c', '8.8.8.8'])('allows public %s', (address) => {
    expect(refusedAddressReason(address, false)).toBeNull();
  });

  it('allows private targets when configured, never metadata', () => {
    expect(refusedAddressReason('127.0.0.1', true)).toBeNull();
    expect(refusedAddressReason('169.254.169.254', true)).toMatch(/metadata/);
    expect(refusedAddressReason('::ffff:169.254.169.254', true)).toMatch(/metadata/);
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
