// An LTI 1.3 tool built with ltijs (from npm), run against Steward as its platform.
//
// Env in: PLATFORM_URL (Steward's issuer, no trailing slash), CLIENT_ID, LTIJS_DB (name of a PostgreSQL database
// this script drops and recreates for ltijs), optional PORT (default 0 = any free port), optional PGHOST / PGPORT /
// PGUSER / PGPASSWORD (default 127.0.0.1:5432, postgres, no password), optional LTIJS_KEEP_DB=1 (do not drop the
// database on exit).
// Out: exactly one JSON line on stdout once listening with the platform registered:
//   {"port":N,"login":"http://127.0.0.1:N/login","launch":"http://127.0.0.1:N/","keys":"http://127.0.0.1:N/keys"}
// Everything else (ltijs, Sequelize and umzug chatter) goes to stderr. SIGTERM/SIGINT: stop, drop the database, exit 0.
"use strict";

// ltijs, ltijs-sequelize (umzug's logger is `console`) and Sequelize all write to console.*: keep stdout for the one
// JSON line.
for (const level of ["log", "info", "warn", "debug", "trace"]) {
  console[level] = (...args) => console.error(...args);
}
const emit = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");

const crypto = require("crypto");
const { Client } = require("pg");
const lti = require("ltijs").Provider;
const Database = require("ltijs-sequelize");

const PLATFORM_URL = need("PLATFORM_URL").replace(/\/+$/, "");
const CLIENT_ID = need("CLIENT_ID");
const DB_NAME = need("LTIJS_DB");
const PORT = Number(process.env.PORT || 0);
const PG = {
  host: process.env.PGHOST || "127.0.0.1",
  port: Number(process.env.PGPORT || 5432),
  user: process.env.PGUSER || "postgres",
  password: process.env.PGPASSWORD || "",
};
if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(DB_NAME)) fail(`LTIJS_DB must be a plain identifier, got ${DB_NAME}`);

function need(name) {
  const v = process.env[name];
  if (!v) fail(`missing env ${name}`);
  return v;
}
function fail(msg) {
  console.error(`ltijs-tool: ${msg}`);
  process.exit(2);
}

async function adminQuery(sql) {
  const client = new Client({ ...PG, database: "test" });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

// Everything about a failed service call a test may want to see.
function describe(step, err) {
  const out = { step, error: String(err) };
  if (err && err.code) out.code = err.code;
  if (err && err.response) {
    out.status = err.response.statusCode;
    out.url = err.response.url || (err.options && err.options.url && String(err.options.url));
    out.headers = err.response.headers;
    out.body = typeof err.response.body === "string" ? err.response.body : String(err.response.body);
  } else if (err && err.options && err.options.url) {
    out.url = String(err.options.url);
  }
  return out;
}

let server;
let base;
let stopping = false;

async function main() {
  await adminQuery(`DROP DATABASE IF EXISTS "${DB_NAME}"`);
  await adminQuery(`CREATE DATABASE "${DB_NAME}"`);

  const db = new Database(DB_NAME, PG.user, PG.password, {
    host: PG.host,
    port: PG.port,
    dialect: "postgres",
    logging: false,
  });

  lti.setup(
    crypto.randomBytes(24).toString("hex"),
    { plugin: db },
    {
      appRoute: "/",
      loginRoute: "/login",
      keysetRoute: "/keys",
      devMode: true, // no state / session cookies needed
      cookies: { secure: false, sameSite: "" },
      // tokenMaxAge left at ltijs's default (10 s).
    }
  );

  // Resource-link launch: NRPS, then AGS (create line item, post a score), all reported back as JSON.
  lti.onConnect(async (token, req, res) => {
    const ctx = token.platformContext || {};
    const query = { ...req.query };
    delete query.ltik;
    const out = {
      user: token.user,
      roles: ctx.roles,
      context: ctx.context,
      custom: ctx.custom,
      resource: ctx.resource,
      lis: ctx.lis,
      members: null,
      lineItem: null,
      score: null,
      // extras, to help a failing test say why
      messageType: ctx.messageType,
      deploymentId: token.deploymentId,
      targetLinkUri: ctx.targetLinkUri,
      endpoint: ctx.endpoint,
      namesRoles: ctx.namesRoles,
      launchPresentation: ctx.launchPresentation,
      userInfo: token.userInfo,
      platformInfo: token.platformInfo,
      query,
      errors: [],
    };
    const failed = (step, err) => {
      const d = describe(step, err);
      console.error("ltijs-tool:", JSON.stringify(d));
      out.errors.push(d);
      if (!out.error) {
        out.error = d.error;
        out.failedStep = d;
      }
    };

    try {
      const membership = await lti.NamesAndRoles.getMembers(token);
      out.members = membership ? membership.members : null;
      out.membership = membership; // the whole container (id, context, next/differences if any)
    } catch (err) {
      failed("NamesAndRoles.getMembers", err);
    }

    try {
      out.lineItem = await lti.Grade.createLineItem(token, {
        scoreMaximum: 10,
        label: "Fractions quiz",
        resourceId: "quiz-1",
        tag: "quiz",
      });
    } catch (err) {
      failed("Grade.createLineItem", err);
    }

    const lineItemUrl = (out.lineItem && out.lineItem.id) || (ctx.endpoint && ctx.endpoint.lineitem);
    out.scoreLineItem = lineItemUrl || null;
    if (lineItemUrl) {
      try {
        out.score = await lti.Grade.submitScore(token, lineItemUrl, {
          userId: token.user,
          scoreGiven: 7,
          scoreMaximum: 10,
          activityProgress: "Completed",
          gradingProgress: "FullyGraded",
        });
      } catch (err) {
        failed("Grade.submitScore", err);
      }
    } else {
      failed("Grade.submitScore", new Error("no line item URL (createLineItem failed and no endpoint.lineitem claim)"));
    }

    if (out.errors.length === 0) delete out.errors;
    return res.send(out);
  });

  // Deep-linking launch: answer with ltijs's own auto-submitting form.
  lti.onDeepLinking(async (token, req, res) => {
    try {
      const items = [
        {
          type: "ltiResourceLink",
          title: "Fractions practice",
          url: `${base}/?activity=fractions`,
          custom: { activity: "fractions" },
        },
      ];
      const form = await lti.DeepLinking.createDeepLinkingForm(token, items, { message: "Added" });
      return res.send(form);
    } catch (err) {
      const d = describe("DeepLinking.createDeepLinkingForm", err);
      console.error("ltijs-tool:", JSON.stringify(d));
      return res.status(500).send({ error: d.error, failedStep: d, deepLinkingSettings: token.platformContext.deepLinkingSettings });
    }
  });

  // Report ltijs's own refusals on stderr too (the default handlers answer 401/400 JSON).
  lti.onInvalidToken(async (req, res) => {
    console.error("ltijs-tool: invalid token:", JSON.stringify(res.locals.err));
    return res.status(401).send(res.locals.err);
  });
  lti.onSessionTimeout(async (req, res) => {
    console.error("ltijs-tool: session timeout:", JSON.stringify(res.locals.err));
    return res.status(401).send(res.locals.err);
  });

  // deploy({port: 0}) would listen on 3000 (ltijs treats 0 as "unset"), so open the database in serverless mode and
  // listen on the express app ourselves. deploy() calls process.exit() (code 0) on failure: make that a 1.
  process.exitCode = 1;
  await lti.deploy({ serverless: true, silent: true });
  process.exitCode = 0;
  process.removeAllListeners("SIGINT"); // ltijs's own handler would exit before the database is dropped
  process.on("SIGINT", () => stop("SIGINT"));

  await lti.registerPlatform({
    url: PLATFORM_URL,
    name: "Steward",
    clientId: CLIENT_ID,
    authenticationEndpoint: `${PLATFORM_URL}/lti/authorize`,
    accesstokenEndpoint: `${PLATFORM_URL}/lti/token`,
    authConfig: { method: "JWK_SET", key: `${PLATFORM_URL}/lti/jwks` },
  });

  server = await new Promise((resolve, reject) => {
    const s = lti.app.listen(PORT, "127.0.0.1", () => resolve(s));
    s.on("error", reject);
  });
  const port = server.address().port;
  base = `http://127.0.0.1:${port}`;
  emit({ port, login: `${base}/login`, launch: `${base}/`, keys: `${base}/keys` });
}

async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.error(`ltijs-tool: ${signal}, stopping`);
  try {
    if (server) {
      server.close();
      if (server.closeAllConnections) server.closeAllConnections();
    }
    await lti.close({ silent: true }).catch(() => {});
    if (process.env.LTIJS_KEEP_DB !== "1") await adminQuery(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`);
  } catch (err) {
    console.error("ltijs-tool: error while stopping:", err);
  }
  process.exit(0);
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));

main().catch((err) => {
  console.error("ltijs-tool: startup failed:", err);
  process.exit(1);
});
