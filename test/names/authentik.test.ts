// Free-text group names and several parents, applied by the importer model (docs/authentik-importer.md):
// the blueprints apply without error, the groups exist under their exact names with every parent,
// and the access policy admits exactly the members of the allowed groups and their descendants
// (authentik/core/models.py User.all_groups adds ancestors; ak_is_group_member filters them).
import path from 'node:path';
import { confidentialApps, derive } from '../../lib/model/derive';
import { parseConfig } from '../../lib/rules/validate';
import { freshAuthentik } from '../support/authentik-importer';
import { ensureMembers, errors, mounted, synth, tmpDir } from '../support/lifecycle';
import { defaultInput } from '../support/helpers';

const ADMINS = 'ArgoCD Admins';
const ODD = 'say "hi", \\ o\'brien ✓';
const NESTED = 'Nested\nteam';

const config = defaultInput();
config.groups.push({ name: ADMINS, argocd: 'role:admin' }, { name: ODD, grafana: 'Editor' }, { name: NESTED, parents: [ADMINS, ODD] });
const svc = config.services.find((s) => Array.isArray(s.allowedGroups) && !s.kubectl)!;
svc.allowedGroups = [ODD];

const out = path.join(tmpDir('names'), 'dist');
const ak = freshAuthentik();

beforeAll(() => {
  expect(synth(config, out)).toEqual([]);
  const m = derive(parseConfig(config));
  for (const a of confidentialApps(m)) ak.env[a.clientSecret.envVar] = `${a.slug}-secret`;
  for (const a of m.agents) ak.env[a.tokenSecret.envVar] = `${a.slug}-password`;
  ak.discover(mounted(out));
});

test('every blueprint applies', () => {
  expect(errors(ak)).toEqual([]);
});

test('each group exists under its exact name, with every parent', () => {
  const group = (name: string) => ak.find('authentik_core.group', { name });
  for (const name of [ADMINS, ODD, NESTED]) expect(group(name)).toBeDefined();
  expect(group(NESTED)!.fields.parents).toEqual([group(ADMINS)!.pk, group(ODD)!.pk]);
});

test('the access policy admits the allowed group and its descendants, nobody else', () => {
  ensureMembers(ak, [ADMINS, ODD, NESTED]);
  expect(ak.mayUse(`member-of-${ODD}`, svc.slug)).toBe(true);
  expect(ak.mayUse(`member-of-${NESTED}`, svc.slug)).toBe(true);
  expect(ak.mayUse(`member-of-${ADMINS}`, svc.slug)).toBe(false);
});
