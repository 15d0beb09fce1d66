import { hrefOf, routeOf } from './paths';

describe('console paths under /admin', () => {
  it.each([
    ['/admin', '/'],
    ['/admin/', '/'],
    ['/admin/settings/members/', '/settings/members'],
    ['/admin/members/0b1c', '/members/0b1c'],
    ['/administrator', '/administrator'],
  ])('%s is the console route %s', (pathname, route) => expect(routeOf(pathname)).toBe(route));

  it('links back under /admin', () => {
    expect(hrefOf('/')).toBe('/admin/');
    expect(hrefOf('/security-console')).toBe('/admin/security-console');
  });
});
