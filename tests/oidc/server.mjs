// An OpenID Connect provider on loopback, configured like ProConnect, for the tests only.
//
// `node server.mjs` listens on a free 127.0.0.1 port and prints one JSON line on stdout,
// {"issuer": "http://127.0.0.1:PORT"}, once discovery answers. Like ProConnect it signs
// the ID token and the userinfo answer (a JWT, Content-Type application/jwt) with RS256,
// authenticates clients with client_secret_post, and gives sub, email, given_name,
// usual_name and siret. Tests register their client through dynamic registration
// (POST /reg), since the callback's host and port are only known to them.
//
// The login page is a plain form: a test (or a browser test) types the identity to sign
// in as, and may pick a "mode" that makes this provider misbehave the way an attacker or a
// broken provider would (see MODES). "Refuser" answers the client with error=access_denied.

import crypto from 'node:crypto';
import http from 'node:http';
import { URL } from 'node:url';

import Provider from 'oidc-provider';

const SCOPES = ['openid', 'email', 'given_name', 'usual_name', 'siret'];

// What each mode alters, after the provider itself answered correctly.
const MODES = {
  normal: 'Réponse conforme',
  'rogue-key': 'Userinfo signé par une clé absente du JWKS',
  'wrong-audience': 'Userinfo destiné à un autre client (aud)',
  'wrong-issuer': 'Userinfo signé au nom d’un autre émetteur (iss)',
  'wrong-nonce': 'Jeton d’identité avec un autre nonce',
  'rogue-id-token': 'Jeton d’identité signé par une clé absente du JWKS',
  'json-userinfo': 'Userinfo en JSON non signé',
  'other-sub': 'Userinfo d’une autre personne (sub)',
};

function rsaKey(kid) {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
}

const signingKey = rsaKey('proconnect-test-key');
// Same kid as the real key: the client finds "its" key and must fail on the signature.
const rogueKey = rsaKey('proconnect-test-key');

const b64url = (buffer) => Buffer.from(buffer).toString('base64url');

function decodeJwt(token) {
  const [header, payload] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url')),
    payload: JSON.parse(Buffer.from(payload, 'base64url')),
  };
}

function signJwt(header, payload, jwk) {
  const key = crypto.createPrivateKey({ key: jwk, format: 'jwk' });
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = crypto.sign('sha256', Buffer.from(input), key);
  return `${input}.${b64url(signature)}`;
}

// Accounts are made by the login form: sub -> {claims, mode}.
const accounts = new Map();

const escape = (text) => String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid, params) {
  const field = (name, label, value = '') => `
    <p><label for="${name}">${label}</label><br>
    <input id="${name}" name="${name}" value="${escape(value)}"></p>`;
  const options = Object.entries(MODES)
    .map(([value, label]) => `<option value="${value}">${escape(label)}</option>`)
    .join('');
  return `<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Fournisseur d’identité de test</title></head>
<body><main>
<h1>Fournisseur d’identité de test</h1>
<p>Client : ${escape(params.client_id)}</p>
<form method="post" action="/interaction/${uid}">
  ${field('sub', 'Identifiant (sub)')}
  ${field('email', 'Adresse e-mail')}
  ${field('given_name', 'Prénom')}
  ${field('usual_name', 'Nom')}
  ${field('siret', 'SIRET')}
  <p><label for="mode">Mode</label><br><select id="mode" name="mode">${options}</select></p>
  <button type="submit" name="action" value="login">Se connecter</button>
  <button type="submit" name="action" value="deny">Refuser</button>
</form>
</main></body></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

function makeProvider(issuer) {
  const configuration = {
    clients: [],
    jwks: { keys: [signingKey] },
    scopes: SCOPES,
    claims: {
      openid: ['sub'],
      email: ['email'],
      given_name: ['given_name'],
      usual_name: ['usual_name'],
      siret: ['siret'],
    },
    responseTypes: ['code'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'RS256',
      userinfo_signed_response_alg: 'RS256',
    },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true },
      jwtUserinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // ProConnect logs out without asking: submit the confirmation form at once.
        async logoutSource(ctx, form) {
          ctx.body = `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Déconnexion</title></head><body>${form}
<script>const f = document.forms[0]; const i = document.createElement('input');
i.type = 'hidden'; i.name = 'logout'; i.value = 'yes'; f.appendChild(i); f.submit();</script>
</body></html>`;
        },
      },
    },
    pkce: { required: () => false },
    ttl: { AuthorizationCode: 30, AccessToken: 60, IdToken: 3600, Session: 12 * 3600, Grant: 12 * 3600, Interaction: 600 },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    // Like ProConnect, no consent screen: the grant covers the scopes asked for.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(SCOPES.join(' '));
      await grant.save();
      return grant;
    },
    async findAccount(ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...account.claims }) };
    },
  };
  return new Provider(issuer, configuration);
}

// Alters a correct answer of the provider according to the account's mode.
function tamper(path, body, issuer) {
  if (path === '/token') {
    const answer = JSON.parse(body);
    if (!answer.id_token) return { body };
    const { header, payload } = decodeJwt(answer.id_token);
    const mode = accounts.get(payload.sub)?.mode;
    if (mode === 'wrong-nonce') {
      answer.id_token = signJwt(header, { ...payload, nonce: crypto.randomBytes(24).toString('hex') }, signingKey);
    } else if (mode === 'rogue-id-token') {
      answer.id_token = signJwt(header, payload, rogueKey);
    }
    return { body: JSON.stringify(answer) };
  }
  // userinfo
  const { header, payload } = decodeJwt(body);
  const mode = accounts.get(payload.sub)?.mode;
  switch (mode) {
    case 'rogue-key':
      return { body: signJwt(header, payload, rogueKey) };
    case 'wrong-audience':
      return { body: signJwt(header, { ...payload, aud: 'another-service' }, signingKey) };
    case 'wrong-issuer':
      return { body: signJwt(header, { ...payload, iss: `${issuer}/other` }, signingKey) };
    case 'other-sub':
      return { body: signJwt(header, { ...payload, sub: `${payload.sub}-someone-else` }, signingKey) };
    case 'json-userinfo': {
      const { iss, aud, exp, iat, ...claims } = payload;
      return { body: JSON.stringify(claims), type: 'application/json; charset=utf-8' };
    }
    default:
      return { body };
  }
}

// Buffers the provider's answer on /token and /me so that tamper() can rewrite it.
function intercept(res, path, issuer) {
  const chunks = [];
  const { write, end, writeHead } = res;
  let head = null;
  res.writeHead = (...args) => { head = args; return res; };
  res.write = (chunk) => { chunks.push(Buffer.from(chunk)); return true; };
  res.end = (chunk) => {
    if (chunk) chunks.push(Buffer.from(chunk));
    let body = Buffer.concat(chunks).toString();
    let type = null;
    if (res.statusCode === 200) ({ body, type } = tamper(path, body, issuer));
    if (type) res.setHeader('Content-Type', type);
    res.removeHeader('Content-Length');
    res.setHeader('Content-Length', Buffer.byteLength(body));
    // Node's own write() calls writeHead() for the implicit head: give it back first.
    res.writeHead = writeHead;
    res.write = write;
    if (head) writeHead.apply(res, head);
    return end.call(res, body);
  };
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = makeProvider(issuer);
  const callback = provider.callback();

  server.on('request', async (req, res) => {
    const url = new URL(req.url, issuer);
    const match = url.pathname.match(/^\/interaction\/([^/]+)$/);
    try {
      if (match && req.method === 'GET') {
        const { uid, params } = await provider.interactionDetails(req, res);
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.end(loginPage(uid, params));
        return;
      }
      if (match && req.method === 'POST') {
        const form = await readForm(req);
        await provider.interactionDetails(req, res);
        if (form.action === 'deny') {
          await provider.interactionFinished(req, res, {
            error: 'access_denied',
            error_description: 'refused by the user',
          });
          return;
        }
        const claims = {};
        for (const name of ['email', 'given_name', 'usual_name', 'siret']) {
          if (form[name]) claims[name] = form[name];
        }
        const sub = form.sub || crypto.randomUUID();
        accounts.set(sub, { claims, mode: form.mode || 'normal' });
        await provider.interactionFinished(req, res, { login: { accountId: sub } }, {
          mergeWithLastSubmission: false,
        });
        return;
      }
    } catch (error) {
      res.statusCode = 400;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(`interaction error: ${error.message}`);
      return;
    }
    if (url.pathname === '/token' || url.pathname === '/me') intercept(res, url.pathname, issuer);
    callback(req, res);
  });

  http.get(`${issuer}/.well-known/openid-configuration`, (answer) => {
    answer.resume();
    if (answer.statusCode === 200) {
      process.stdout.write(`${JSON.stringify({ issuer })}\n`);
    } else {
      process.stderr.write(`discovery answered ${answer.statusCode}\n`);
      process.exit(1);
    }
  });
});

// Stop at once: keep-alive connections of the tests' clients would hold close() open.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
