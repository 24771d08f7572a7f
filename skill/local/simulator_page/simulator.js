// The simulator page: plays an Alexa device against python -m skill simulate. No skill logic here: words, touches
// and buttons go to the server, which resolves them and calls the skill's Lambda handler with real envelopes.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { devices: {}, device: null, locale: "en-US", exchanges: [], turns: 0, screen: null };

async function post(path, body) {
  document.body.dataset.busy = "true";
  try {
    const answer = await fetch(path, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body || {}),
    });
    const data = await answer.json().catch(() => ({ error: `HTTP ${answer.status}` }));
    if (!answer.ok || data.error) {
      addLine("aside", `[error: ${data.error || answer.status}]`);
      return null;
    }
    show(data);
    return data;
  } catch (error) {
    addLine("aside", `[the simulator is unreachable: ${error}]`);
    return null;
  } finally {
    document.body.dataset.busy = "false";
  }
}

function addLine(kind, text) {
  const item = document.createElement("li");
  item.className = kind;
  item.textContent = text;
  $("log").appendChild(item);
  $("log").scrollTop = $("log").scrollHeight;
}

// What the server says happened in one turn: the chat's transcript lines, each reply, each envelope.
function show(turn) {
  const spoken = [];
  for (const raw of turn.lines) {
    const line = raw.trim();
    if (line.startsWith("Alexa")) {
      addLine("alexa", line);
      spoken.push(line.replace(/^Alexa( \(in its own words\))?: /, ""));
    } else if (line.startsWith("(if you say nothing")) {
      addLine("aside", line);
    } else if (/^\[(?!Card\]|Screen\]| )/.test(line)) {  // the chat's asides; the card and screen have panels
      addLine("aside", line);
    }
  }
  speak(spoken.join(" "));
  for (const reply of turn.replies) {
    if (reply.card) showCard(reply.card);
    if (reply.screen) state.screen = reply.screen;
  }
  renderScreen();
  for (const exchange of turn.exchanges) addExchange(exchange);
  state.turns += 1;
  document.body.dataset.turns = String(state.turns);
  document.body.dataset.ended = String(turn.ended);
}

function showCard(card) {
  const box = $("card");
  box.replaceChildren();
  const title = document.createElement("h3");
  if (card.type === "AskForPermissionsConsent") {
    title.textContent = "Permission requested";
    box.append(title, `Allow: ${(card.permissions || []).join(", ")} (a button in the Alexa app)`);
    return;
  }
  title.textContent = card.title || "";
  box.append(title, card.content || card.text || "");
}

function addExchange(exchange) {
  state.exchanges.push(exchange);
  const option = document.createElement("option");
  const request = exchange.request.request || {};
  const what = request.intent ? request.intent.name : request.type;
  option.value = String(state.exchanges.length - 1);
  option.textContent = `${state.exchanges.length}. ${what}`;
  $("exchange").appendChild(option);
  $("exchange").value = option.value;
  showExchange();
}

function showExchange() {
  const exchange = state.exchanges[Number($("exchange").value)];
  $("request-json").textContent = exchange ? JSON.stringify(exchange.request, null, 2) : "";
  $("response-json").textContent = exchange ? JSON.stringify(exchange.response, null, 2) : "";
}

function speak(text) {
  if (!text || !$("speak").checked || !("speechSynthesis" in window)) return;
  window.speechSynthesis.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = state.locale;
  window.speechSynthesis.speak(utterance);
}

// ---- APL, drawn in HTML from the document and datasources of the skill's RenderDocument directive ----

function evaluate(expression, context) {
  const text = expression.trim();
  for (const operator of ["!=", "=="]) {
    const at = text.indexOf(operator);
    if (at > 0) {
      const left = evaluate(text.slice(0, at), context);
      const right = evaluate(text.slice(at + 2), context);
      return operator === "==" ? left === right : left !== right;
    }
  }
  if (/^'.*'$/.test(text) || /^".*"$/.test(text)) return text.slice(1, -1);
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === "true" || text === "false") return text === "true";
  let value = context;
  for (const part of text.split(".")) value = value == null ? undefined : value[part];
  return value === undefined ? "" : value;
}

function bind(value, context) {
  if (typeof value !== "string") return value;
  const whole = value.match(/^\$\{([^}]*)\}$/);
  if (whole) return evaluate(whole[1], context);
  return value.replace(/\$\{([^}]*)\}/g, (_, expression) => String(evaluate(expression, context)));
}

function dimension(value, device) {
  if (value === undefined || value === null || value === "") return "";
  if (typeof value === "number") return `${value}px`;
  const match = String(value).match(/^(-?[\d.]+)(dp|px|vw|vh|%)?$/);
  if (!match) return "";
  const number = Number(match[1]);
  const unit = match[2] || "dp";
  if (unit === "vw") return `${(number * device.width) / 100}px`;
  if (unit === "vh") return `${(number * device.height) / 100}px`;
  if (unit === "%") return `${number}%`;
  return `${number}px`;
}

const JUSTIFY = { start: "flex-start", end: "flex-end", center: "center", spaceBetween: "space-between",
  spaceAround: "space-around" };
const ALIGN = { start: "flex-start", end: "flex-end", center: "center", stretch: "stretch" };

function children(component) {
  const items = component.items !== undefined ? component.items : component.item;
  if (items === undefined) return [];
  return Array.isArray(items) ? items : [items];
}

function build(component, context, device, parentRow) {
  const prop = (name) => bind(component[name], context);
  if (component.when !== undefined && !prop("when")) return null;
  let element;
  switch (component.type) {
    case "Container":
      element = document.createElement("div");
      element.className = "apl-container";
      if (prop("direction") === "row") element.style.flexDirection = "row";
      if (JUSTIFY[prop("justifyContent")]) element.style.justifyContent = JUSTIFY[prop("justifyContent")];
      if (ALIGN[prop("alignItems")]) element.style.alignItems = ALIGN[prop("alignItems")];
      break;
    case "ScrollView":
      element = document.createElement("div");
      element.className = "apl-scroll";
      element.tabIndex = 0;
      element.setAttribute("aria-label", "Scrollable text");
      break;
    case "Frame":
      element = document.createElement("div");
      element.className = "apl-frame";
      if (prop("borderRadius")) element.style.borderRadius = dimension(prop("borderRadius"), device);
      break;
    case "TouchWrapper":
      element = document.createElement("button");
      element.type = "button";
      element.className = "apl-touch";
      if (prop("accessibilityLabel")) element.setAttribute("aria-label", prop("accessibilityLabel"));
      element.addEventListener("click", () => press(component, context, prop("id")));
      break;
    case "Text":
      element = document.createElement("div");
      element.className = "apl-text";
      element.textContent = String(prop("text") ?? "");
      element.style.fontSize = dimension(prop("fontSize") || "40dp", device);
      element.style.color = prop("color") || "#FAFAFA";
      if (prop("fontWeight")) element.style.fontWeight = prop("fontWeight") === "bold" ? "700" : prop("fontWeight");
      if (prop("textAlign")) element.style.textAlign = prop("textAlign");
      if (prop("textAlignVertical") === "center") {
        element.style.display = "flex";
        element.style.alignItems = "center";
        element.style.justifyContent = prop("textAlign") === "center" ? "center" : "flex-start";
      }
      if (prop("maxLines")) {
        element.style.display = "-webkit-box";
        element.style.webkitBoxOrient = "vertical";
        element.style.webkitLineClamp = String(prop("maxLines"));
      }
      break;
    default:
      element = document.createElement("div");
      element.dataset.unsupported = String(component.type);
  }
  if (prop("id")) element.dataset.aplId = prop("id");
  for (const [name, css] of [["width", "width"], ["height", "height"], ["minHeight", "minHeight"],
    ["paddingLeft", "paddingLeft"], ["paddingRight", "paddingRight"], ["paddingTop", "paddingTop"],
    ["paddingBottom", "paddingBottom"]]) {
    const value = dimension(prop(name), device);
    if (value) element.style[css] = value;
  }
  if (prop("backgroundColor")) element.style.backgroundColor = prop("backgroundColor");
  if (prop("grow") !== undefined) element.style.flexGrow = String(prop("grow"));
  if (prop("shrink") !== undefined) element.style.flexShrink = String(prop("shrink"));
  if (prop("spacing")) element.style[parentRow ? "marginLeft" : "marginTop"] = dimension(prop("spacing"), device);
  const row = component.type === "Container" && prop("direction") === "row";
  let first = true;
  for (const child of children(component)) {
    const built = build(child, context, device, row);
    if (!built) continue;
    if (first) { built.style.marginTop = ""; built.style.marginLeft = ""; first = false; }
    element.appendChild(built);
  }
  return element;
}

function press(component, context, id) {
  const commands = component.onPress ? (Array.isArray(component.onPress) ? component.onPress : [component.onPress]) : [];
  for (const command of commands) {
    if (command.type === "SendEvent") {
      const args = (command.arguments || []).map((argument) => bind(argument, context));
      addLine("you", `(touches ${args.join(" ")})`);
      post("/api/touch", { arguments: args, source: id || "" });
    }
  }
}

function renderScreen() {
  const screen = $("screen");
  const device = state.devices[$("device").value];
  screen.replaceChildren();
  screen.setAttribute("aria-label", `${device.label} screen`);
  if (!device.width) {
    screen.className = "off";
    screen.style.width = "100%";
    screen.style.height = "6rem";
    screen.style.transform = "";
    screen.textContent = "This device has no screen: listen and talk.";
    $("screen-frame").style.height = "";
    return;
  }
  screen.className = "";
  screen.style.width = `${device.width}px`;
  screen.style.height = `${device.height}px`;
  screen.style.fontFamily = "'Amazon Ember', 'Bookerly', system-ui, sans-serif";
  if (state.screen && state.screen.document) {
    const document_ = state.screen.document;
    const context = {};
    for (const parameter of (document_.mainTemplate.parameters || [])) {
      context[parameter] = (state.screen.datasources || {})[parameter];
    }
    for (const item of children(document_.mainTemplate)) {
      const built = build(item, context, device, false);
      if (built) screen.appendChild(built);
    }
  } else {
    const idle = document.createElement("div");
    idle.className = "apl-text";
    idle.style.padding = "2rem";
    idle.style.fontSize = "32px";
    idle.textContent = "Alexa";
    screen.appendChild(idle);
  }
  fitScreen();
}

function fitScreen() {
  const device = state.devices[$("device").value];
  if (!device || !device.width) return;
  const room = $("screen-frame").clientWidth - 20;
  const scale = Math.min(1, room / device.width);
  $("screen").style.transform = `scale(${scale})`;
  $("screen-frame").style.height = `${device.height * scale + 20}px`;
}

// ---- microphone: the browser's speech recognition where it has one ----

function setUpMicrophone() {
  const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  const mic = $("mic");
  if (!Recognition) {
    mic.disabled = true;
    $("mic-note").textContent = "This browser has no speech recognition: type what you would say.";
    return;
  }
  let listening = null;
  mic.addEventListener("click", () => {
    if (listening) { listening.stop(); return; }
    const recognition = new Recognition();
    recognition.lang = state.locale;
    recognition.interimResults = false;
    recognition.onresult = (event) => {
      const heard = event.results[0][0].transcript;
      $("say").value = heard;
      say(heard);
    };
    recognition.onerror = (event) => {
      $("mic-note").textContent = `Speech recognition failed (${event.error}): type what you would say.`;
    };
    recognition.onend = () => { listening = null; mic.setAttribute("aria-pressed", "false"); };
    listening = recognition;
    mic.setAttribute("aria-pressed", "true");
    $("mic-note").textContent = "Listening…";
    recognition.start();
  });
}

function say(text) {
  const words = text.trim();
  if (!words) return;
  addLine("you", `You: ${words}`);
  $("say").value = "";
  post("/api/say", { text: words });
}

function openSkill() {
  state.locale = $("locale").value;
  document.documentElement.lang = state.locale;
  state.screen = null;
  const device = state.devices[$("device").value];
  addLine("you", `You: Alexa, open Back Pain Check (${state.locale}, ${device.label})`);
  return post("/api/open", { locale: state.locale, device: device.name, resolver: $("resolver").value });
}

async function start() {
  const config = await (await fetch("/api/config")).json();
  for (const locale of config.locales) $("locale").add(new Option(locale, locale));
  for (const device of config.devices) {
    state.devices[device.name] = device;
    $("device").add(new Option(device.label, device.name));
  }
  for (const [name, label] of Object.entries(config.resolvers)) $("resolver").add(new Option(label, name));
  $("locale").value = config.default.locale;
  $("device").value = config.default.device;
  $("resolver").value = config.default.resolver;
  $("setup").addEventListener("submit", (event) => { event.preventDefault(); openSkill(); });
  // another locale, device or understanding is another device: the skill opens again on it
  for (const id of ["locale", "device", "resolver"]) $(id).addEventListener("change", () => openSkill());
  $("stop").addEventListener("click", () => { addLine("you", "You: stop"); post("/api/stop"); });
  $("start-over").addEventListener("click", () => { addLine("you", "You: start over"); post("/api/start-over"); });
  $("say-form").addEventListener("submit", (event) => { event.preventDefault(); say($("say").value); });
  $("exchange").addEventListener("change", showExchange);
  window.addEventListener("resize", fitScreen);
  setUpMicrophone();
  renderScreen();
  await openSkill();
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", start);
