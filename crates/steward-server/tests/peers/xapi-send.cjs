// Sends statements to Steward's LRS with @xapi/xapi (from npm), as a vendor's tool would, and prints what the LRS
// answered as one JSON object. Usage: node xapi-send.cjs ENDPOINT CLIENT_ID SECRET VERSION TIMESTAMP
const lib = require("@xapi/xapi");
const XAPI = lib.default || lib;

const [endpoint, user, pass, version, timestamp] = process.argv.slice(2);
const xapi = new XAPI({ endpoint, auth: XAPI.toBasicAuth(user, pass), version });

function statement(verb, email, extra) {
  return {
    actor: { objectType: "Agent", mbox: `mailto:${email}` },
    verb: { id: `http://adlnet.gov/expapi/verbs/${verb}`, display: { "en-US": verb } },
    object: { objectType: "Activity", id: "https://fractions.example/lessons/7" },
    timestamp,
    ...extra,
  };
}

(async () => {
  const out = {};
  const one = await xapi.sendStatement({ statement: statement("launched", "stua3@cedar.example") });
  out.sent = one.data;
  const batch = await xapi.sendStatements({
    statements: [
      statement("completed", "stua7@cedar.example", { result: { completion: true, duration: "PT15M" } }),
      statement("answered", "nobody@elsewhere.example", { result: { success: true } }),
    ],
  });
  out.batch = batch.data;
  const got = await xapi.getStatement({ statementId: out.sent[0] });
  out.got = got.data;
  try {
    await xapi.sendStatement({ statement: { ...statement("attended", "stua3@cedar.example"), id: out.sent[0] } });
    out.conflict = 200;
  } catch (e) {
    out.conflict = e.response ? e.response.status : String(e);
  }
  console.log(JSON.stringify(out));
})().catch((e) => {
  console.error(e.response ? `${e.response.status} ${JSON.stringify(e.response.data)}` : String(e));
  process.exit(1);
});
