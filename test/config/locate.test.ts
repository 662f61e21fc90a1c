// lib/config/locate.ts: where a config path is written in a TypeScript config.
import { locatePaths, parsePath } from '../../lib/config/locate';

test('parsePath reads the paths formatPath writes', () => {
  expect(parsePath('services[3].host')).toEqual(['services', 3, 'host']);
  expect(parsePath('services[0]["call back"]')).toEqual(['services', 0, 'call back']);
  expect(parsePath('(config)')).toBeUndefined();
});

test('follows literals, variables and `as`, and stops at the deepest literal it can follow', () => {
  const text = [
    "const domain = 'x.org';", // 1
    'const groups = [', // 2
    "  { name: 'a' },", // 3
    '];', // 4
    'export const cfg = {', // 5
    '  cluster: { name: 1, domain },', // 6
    '  groups,', // 7
    '  services: [...more],', // 8
    '} as const;', // 9
  ].join('\n');
  const at = locatePaths('c.ts', text, ['cluster.name', 'cluster.domain', 'groups[0].name', 'services[2].host', 'nope.deeper', '(config)']);
  expect(Object.fromEntries(at)).toEqual({
    'cluster.name': '6:20',
    'cluster.domain': '1:16',
    'groups[0].name': '3:11',
    'services[2].host': '8:13',
    'nope.deeper': '5:20',
  });
});
