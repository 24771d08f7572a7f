#!/usr/bin/env node
// Say evaluation utterances to the skill through virtual-alexa, one fresh session per item.
//
//   node run.js --model interaction_models/en-US.json --url http://127.0.0.1:8080/ --items items.json
//
// items.json (or "-" for standard input) is a JSON list of
//   {"utterance": "I have chest pain", "context_answers": ["no", "no"]}
// For each item: launch, say each context answer (a string is an utterance; {"intent": "AMAZON.NoIntent"}
// sends that intent as is), then say the utterance. One JSON line per item goes to standard output:
//   {"index", "utterance", "status": "matched" | "unmatched" | "error", "intent", "slots", "sent_intent",
//    "speech", "session_attributes", "reply_attributes", "launch_quirk", "message"}
// intent and slots are what virtual-alexa resolved, read from the request it built (its filter hook); slots
// are {name: {"value", "resolutions": [{"status", "id", "name"}]}}. "unmatched" is virtual-alexa's
// "Unable to match utterance"; then, when the model has --fallback-intent (default AMAZON.FallbackIntent),
// that intent is sent instead, as Alexa would, so speech is still the skill's reply. session_attributes
// are those the final request carried (where the conversation was when the utterance was said),
// reply_attributes those the skill's reply carried (what the utterance changed).
"use strict";

// virtual-alexa loads aws-sdk v2, which prints an end-of-support notice on standard error otherwise
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = "1";
const fs = require("fs");
const { VirtualAlexa } = require("virtual-alexa");
const { Utterance } = require(require.resolve("virtual-core", { paths: [require.resolve("virtual-alexa")] }));

const USAGE = "usage: node run.js --model FILE --url URL [--items FILE|-] [--locale en-US] " +
  "[--application-id ID] [--fallback-intent NAME|none]";
// virtual-alexa's utter() treats any utterance containing these words as "open the skill" (its regex is not
// anchored, so "I can't tell" launches). Items are said inside a session, so this runner matches utterances
// itself, as utter() does without that step, and reports when utter() would have launched instead.
const UTTER_LAUNCH_QUIRK = /(ask|open|launch|talk to|tell).*/i;

function parseArgs(argv) {
  const args = { items: "-", locale: "en-US", "fallback-intent": "AMAZON.FallbackIntent" };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, "");
    if (!(name in { model: 1, url: 1, items: 1, locale: 1, "application-id": 1, "fallback-intent": 1 })
        || argv[i + 1] === undefined) {
      throw new Error(USAGE);
    }
    args[name] = argv[i + 1];
  }
  if (!args.model || !args.url) {
    throw new Error(USAGE);
  }
  return args;
}

function readItems(source) {
  const text = fs.readFileSync(source === "-" ? 0 : source, "utf8");
  const items = JSON.parse(text);
  if (!Array.isArray(items)) {
    throw new Error("items must be a JSON list");
  }
  return items;
}

function resolvedSlots(intent) {
  const slots = {};
  for (const [name, slot] of Object.entries((intent && intent.slots) || {})) {
    if (slot.value === undefined) {
      continue;
    }
    const resolutions = [];
    for (const authority of ((slot.resolutions || {}).resolutionsPerAuthority || [])) {
      const values = authority.values || [];
      if (values.length === 0) {
        resolutions.push({ status: authority.status.code, id: null, name: null });
      }
      for (const { value } of values) {
        resolutions.push({ status: authority.status.code, id: value.id === undefined ? null : value.id,
          name: value.name });
      }
    }
    slots[name] = { value: slot.value, resolutions };
  }
  return slots;
}

class Runner {
  constructor(args) {
    const builder = VirtualAlexa.Builder().skillURL(args.url).interactionModelFile(args.model).locale(args.locale);
    if (args["application-id"]) {
      builder.applicationID(args["application-id"]);
    }
    this.alexa = builder.create();
    this.model = this.alexa.context().interactionModel();
    const fallback = args["fallback-intent"];
    this.fallback = fallback !== "none" && this.model.hasIntent(fallback) ? fallback : null;
    this.lastRequest = null;
    this.alexa.filter((request) => { this.lastRequest = request; });
  }

  // Returns [response or null, matched intent name or null].
  async say(utterance) {
    if (typeof utterance === "object" && utterance !== null) {
      return [await this.alexa.intend(utterance.intent, utterance.slots), utterance.intent];
    }
    const match = new Utterance(this.model, utterance);
    if (!match.matched()) {
      return [null, null];
    }
    const request = this.alexa.request().intent(match.intent()).slots(match.toJSON());
    return [await this.alexa.call(request), match.intent()];
  }

  async run(item, index) {
    const result = { index, utterance: item.utterance, status: "error", intent: null, slots: {}, sent_intent: null,
      speech: null, session_attributes: null, reply_attributes: null, launch_quirk: UTTER_LAUNCH_QUIRK.test(item.utterance), message: null };
    try {
      this.alexa.context().endSession(); // a fresh session, as if the last one had ended
      await this.alexa.launch();
      for (const answer of item.context_answers || []) {
        const [, intent] = await this.say(answer);
        if (intent === null) {
          result.message = `context answer not matched: ${JSON.stringify(answer)}`;
          return result;
        }
        if (!this.alexa.context().activeSession()) {
          result.message = `the session ended after context answer ${JSON.stringify(answer)}`;
          return result;
        }
      }
      this.lastRequest = null;
      let [response, intent] = await this.say(item.utterance);
      if (intent === null) {
        result.status = "unmatched";
        result.message = `Unable to match utterance: ${item.utterance}`;
        if (this.fallback === null) {
          return result;
        }
        response = await this.alexa.intend(this.fallback);
      } else {
        result.status = "matched";
        result.intent = intent;
        result.slots = resolvedSlots(this.lastRequest.request.intent);
      }
      result.sent_intent = this.lastRequest.request.intent.name;
      result.session_attributes = this.lastRequest.session.attributes || {};
      result.reply_attributes = (response && response.sessionAttributes) || {};
      const speech = response.response && response.response.outputSpeech;
      result.speech = speech ? (speech.ssml || speech.text || null) : null;
    } catch (error) {
      result.status = "error";
      result.message = String(error && error.message ? error.message : error);
    }
    return result;
  }
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const items = readItems(args.items);
  const runner = new Runner(args);
  for (let i = 0; i < items.length; i++) {
    process.stdout.write(`${JSON.stringify(await runner.run(items[i], i))}\n`);
  }
  return 0;
}

main().then((code) => { process.exitCode = code; }, (error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exitCode = 1;
});
