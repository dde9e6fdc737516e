// An OpenID provider for the tests (the npm package oidc-provider), on 127.0.0.1:PORT, with one confidential
// client, "steward", whose only redirect URI is REDIRECT. Its own login form takes any login: the account's
// e-mail is the login itself. Prints "ready" once it listens.
import Provider from 'oidc-provider';

const [port, redirect] = process.argv.slice(2);
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: 'steward',
    client_secret: 'steward-test-secret-of-some-length',
    redirect_uris: [redirect],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  async findAccount(ctx, id) {
    return { accountId: id, async claims() { return { sub: id, email: id, email_verified: true }; } };
  },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['steward-test-cookie-key'] },
});
provider.listen(Number(port), '127.0.0.1', () => console.log('ready'));
