// A fixed corpus for the secret scan (lib/checks/secrets.ts): planted secrets in every place a rule
// reads (flags, URLs, assignments, env entries, secret-named keys, nested YAML, Markdown fences,
// comments) next to the near misses each rule must let pass (references, identifiers, tokens one
// character short). test/checks/secrets-corpus.test.ts pins the scan's exact findings on it, so a
// cheaper scan is proven to find the same things.
import { GENERATED_HEADER } from '../../lib/base/file-text';

export interface CorpusFile {
  path: string;
  text: string;
  docs?: unknown[];
}

const B64 = 'q7Xv3LpZk9TfR2mWc8NbY4sHd6Ju1AeG0oKiVxQ5tPw=';
const HEX = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const JWT = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJrOHMtYWdlbnQifQ.c2lnbmF0dXJlLXBsYWNlaG9sZGVy';
/** Random-looking tokens of 23, 24 and 25 characters: around MIN_TOKEN. */
const EDGE = ['Zq4Rt7Yp2Wn9Xk3Lm8Vb5Hc', 'Zq4Rt7Yp2Wn9Xk3Lm8Vb5HcJ', 'Zq4Rt7Yp2Wn9Xk3Lm8Vb5HcJd'];

/** Strings as they appear in values: each is scanned as a value and as a line of text. */
export const CORPUS_STRINGS: ReadonlyArray<string> = [
  '',
  'plain',
  'authentik_core.application',
  'https://auth.example.net/application/o/grafana/',
  `https://${B64.slice(0, 30)}@github.com/org/repo.git`,
  'https://user:hunter2-literal@git.example.net/repo',
  'https://user:${GIT_PASSWORD}@git.example.net/repo',
  'https://user:$(cat /run/pw)@git.example.net/repo',
  `https://api.example.net/v1/${B64.slice(0, 40).replace(/\//g, 'x')}/hook`,
  'https://api.example.net/cb?token=abc123literal&state=1',
  'https://api.example.net/cb?code=$CODE&sig=',
  'https://api.example.net/cb#access_token=literalvalue99',
  'https://api.example.net/cb?apikey=%3Cplaceholder%3E',
  'https://api.example.net/%E0%A4%A/x?pwd=x%ZZ',
  '--client-secret=literal-value-1',
  '--client-secret=$(CLIENT_SECRET)',
  '--oidc-client-secret="${SECRET:?set it}"',
  'kubectl create secret generic x --from-literal=password=hunter2 --from-literal=user=$USER',
  '--from-literal=token=<the token>',
  '--token-file=/var/run/token --password=',
  'export DB_PASSWORD=hunter2; API_TOKEN="${TOKEN}" X_KEY=$(vault read key) MY_SECRET_KEY=\'lit\'',
  'RUN ADMIN_SECRET=abc && echo ok',
  `value ${B64} in free text`,
  `hex ${HEX} and a uuid 123e4567-e89b-12d3-a456-426614174000`,
  `jwt ${JWT}`,
  `assign foo=${B64}`,
  `path A0/talos/apiserver-oidc.yaml and ${B64.slice(0, 20)}/${B64.slice(20, 44)}`,
  'pf-c-page__main-nav--BackgroundColor and --pf-global--spacer--md',
  'AUTHENTIK_BOOTSTRAP_TOKEN_REFERENCE_NAME_X1',
  'lowercase-name-with-a-few-words-and-1-digit',
  ...EDGE.map((t) => `tok ${t} end`),
  ...EDGE,
  `${EDGE[1]}==`,
  `=${EDGE[2]}`,
  `sha256:${HEX}`,
  `multi\nline ${B64}\n  --password=literal2\n`,
  'key: value\nother: thing\n',
  `client_secret: ${B64.slice(0, 12)}\npassword: $PW\nnested:\n  token: literal-token\n`,
  `- name: DB_PASSWORD\n  value: hunter2\n- name: DB_USER\n  value: app\n`,
  `a: !Env SECRET\nb: !Find [authentik_core.user, [username, x]]\n`,
  'bad: [unclosed\nyaml: here\n',
  `‮unicode ${EDGE[1]}é`,
  'abcdefab-abcd-abcd-abcd-abcdefabcdef',
  'deadbeefdeadbeefdeadbeefdeadbeef1234',
  'some/very-long/lowercase_path.with.dots/and-more-segments',
  'Mixed/Path/Segments/WithCaps/xq7Xv3LpZk9TfR2mWc8NbY4',
  'https://a.example/x?q=1 trailing-lowercase-words-after-the-url',
  `https://a.example/${EDGE[2]} and https://b.example/${EDGE[2].toLowerCase()}x`,
  'a'.repeat(40),
  `x=${'ab'.repeat(20)}=`,
];

/** Keys that decide rule (a): secret-named, descriptive, names of Secrets, reference containers. */
const KEYS = [
  'name',
  'password',
  'client_secret',
  'clientSecretKey',
  'existingSecret',
  'tokenUrl',
  'secretName',
  'apiKey',
  'credentials',
  'ssh_key_type',
  'checksum',
  'PASSWORD',
];

const block = (title: string, body: string) => `## ${title}\n\n\`\`\`yaml\n${body}\`\`\`\n\n`;

/** The corpus: YAML files scanned as parsed documents and as text, Markdown and plain text. */
export function secretsCorpus(): CorpusFile[] {
  const values = Object.fromEntries(CORPUS_STRINGS.map((s, i) => [`v${i}`, s]));
  const keyed = KEYS.map((k) => Object.fromEntries(CORPUS_STRINGS.slice(0, 12).map((s, i) => [i === 0 ? k : `${k}${i}`, s])));
  const refs = {
    valueFrom: { secretKeyRef: { name: 'x', key: 'password' } },
    secretRef: { password: 'literal-in-a-ref' },
    env: [
      { name: 'API_TOKEN', value: 'literal-token-value' },
      { name: 'API_TOKEN_FILE', value: '/run/token' },
      { name: 'GRAFANA_PASSWORD', value: '$__env{GF_PW}' },
    ],
    numbers: { password: 12345678, port: 8080, token: true, key: null },
    secret: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'eA==' }, stringData: {} },
  };
  const lines = CORPUS_STRINGS.map((s) => `# ${s.replace(/\n/g, ' ')}`).join('\n');
  return [
    { path: 'values/strings.yaml', text: `${GENERATED_HEADER}${lines}\nv: 1\n`, docs: [values] },
    { path: 'values/keyed.yaml', text: `${GENERATED_HEADER}k: 1\n`, docs: keyed },
    { path: 'values/refs.yaml', text: `${GENERATED_HEADER}r: 1\n`, docs: [refs] },
    // Parsed from the text: docs left out.
    {
      path: 'raw/parsed.yaml',
      text: `# ${B64}\npassword: hunter2\nconfig: |\n  client_secret: literal\n  url: https://a:b@c/\n---\nx: [1, 2]\n`,
    },
    { path: 'raw/broken.yaml', text: `password: [unclosed\n# --token=literal-flag\n` },
    {
      path: 'docs/GUIDE.md',
      text: [
        block('Secret', `apiVersion: v1\nkind: Secret\nstringData:\n  password: hunter2\n  token: \${TOKEN}\n`),
        block('Values', `client_secret: <from the vault>\napi_key: literal-api-key\n- password: listed\n`),
        '```\npassword: in-a-plain-fence\n```\n',
        '```sh\npassword: not-yaml-fence\nexport API_TOKEN=literal\n```\n',
        'password: outside-a-fence\n',
        ...CORPUS_STRINGS.map((s) => `${s}\n`),
      ].join(''),
    },
    { path: 'talos/notes.txt', text: CORPUS_STRINGS.join('\n') },
    { path: 'manifest.txt', text: `${HEX}  values/strings.yaml\n` },
  ];
}
