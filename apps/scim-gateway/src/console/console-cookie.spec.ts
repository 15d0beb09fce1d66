import fastifyCookie from '@fastify/cookie';
import Fastify from 'fastify';
import { HttpConfig, loadConfig } from '@axis/config';
import { clearConsoleCookie, consoleCookieOf, setConsoleCookie } from './console-cookie';

async function answer(publicUrl: string, action: 'set' | 'clear') {
  const config = loadConfig(HttpConfig, { PUBLIC_URL: publicUrl });
  const fastify = Fastify();
  await fastify.register(fastifyCookie);
  fastify.get('/', async (request, reply) => {
    if (action === 'set') setConsoleCookie(reply, 'con_secret', config);
    else clearConsoleCookie(reply, config);
    return { seen: consoleCookieOf(request) };
  });
  const response = await fastify.inject({ method: 'GET', url: '/', headers: { cookie: 'axis_console=con_presented; other=1' } });
  await fastify.close();
  return { setCookie: String(response.headers['set-cookie']), seen: response.json().seen as string | null };
}

describe('the console session cookie', () => {
  it('is HttpOnly, SameSite=Strict, Path=/ and not Secure on http', async () => {
    const { setCookie, seen } = await answer('http://127.0.0.1:8080', 'set');
    expect(setCookie).toBe('axis_console=con_secret; Path=/; HttpOnly; SameSite=Strict');
    expect(seen).toBe('con_presented');
  });

  it('is Secure when PUBLIC_URL is https', async () => {
    const { setCookie } = await answer('https://console.example.com', 'set');
    expect(setCookie).toBe('axis_console=con_secret; Path=/; HttpOnly; Secure; SameSite=Strict');
  });

  it('is cleared with the same attributes', async () => {
    const { setCookie } = await answer('https://console.example.com', 'clear');
    expect(setCookie).toMatch(/^axis_console=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict$/);
  });
});
