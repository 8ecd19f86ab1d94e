/* A timer's name that says its value ("Po 14 dniach bez odpowiedzi" on "P14D"): the words come from the
   page (config.portal.timerNames, editor_timer_names.py) in every language of the portal, the page's first.
   The phrase of a value is its name's start; what follows it ("bez odpowiedzi") is the analyst's own.
     nameAfterChange  the name a value change leaves: the phrase of the new value in place of the old one's,
                      in the language the name is in; a name that does not start with the old value's phrase
                      (typed by hand) stays as it is
     nameMismatch     a name that starts with the phrase of another value than the timer's: what to say and
                      the name to offer (null when the timer's value has no phrase, a date) */
import { config, format } from "./panel_config.js";

function languages(injector) {
  const names = config(injector).timerNames || {};
  return Object.entries(names.languages || {});
}

function counted(lang, forms, count) {
  const category = new Intl.PluralRules(lang).select(count);
  return format(forms[category] || forms.other, { n: String(count).replace(".", lang === "pl" ? "," : ".") });
}

// The parts of an ISO-8601 duration with a count, in its order ("P1DT12H": 1 D, 12 H).
function durationParts(duration) {
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration || "");
  if (!match) return null;
  const units = ["Y", "M", "W", "D", "H", "MIN", "S"];
  const parts = units.map((unit, i) => [unit, Number(match[i + 1] || 0)]).filter(([, n]) => n > 0);
  return parts.length ? parts : null;
}

function durationWords(lang, words, grammar, duration) {
  const parts = durationParts(duration);
  if (!parts) return null;
  return parts
    .map(([unit, n]) => counted(lang, words.units[grammar][unit], n))
    .reduce((first, second) => format(words.and, { first, second }));
}

// "Po 14 dniach" (P14D), "Co 7 dni, 3 razy" (R3/P7D), "Co 7 dni" (R/P7D); null for a date or a bad value.
export function timerPhrase(lang, words, kind, value) {
  if (kind === "timeDuration") {
    const duration = durationWords(lang, words, "after", value);
    return duration && format(words.after, { duration });
  }
  if (kind === "timeCycle") {
    const parts = (value || "").split("/");
    if (parts.length < 2 || !/^R\d*$/.test(parts[0])) return null;
    const duration = durationWords(lang, words, "every", parts[parts.length - 1]);
    if (!duration) return null;
    const every = format(words.every, { duration });
    const repeats = parts[0].slice(1);
    return repeats ? format(words.everyTimes, { every, times: counted(lang, words.times, Number(repeats)) }) : every;
  }
  return null;
}

// Does the name start with the phrase (any case of its first letter), and end there or at a non-letter?
function startsWithPhrase(name, phrase) {
  if (!phrase || name.slice(0, phrase.length).toLowerCase() !== phrase.toLowerCase()) return false;
  return !/^[\p{L}\p{N}]/u.test(name.slice(phrase.length));
}

function withFirstLetterOf(model, phrase) {
  const first = model.charAt(0);
  const upper = first !== first.toLowerCase();
  return (upper ? phrase.charAt(0).toUpperCase() : phrase.charAt(0).toLowerCase()) + phrase.slice(1);
}

// A timer whose kind was just changed has no value until the next is typed: its name still says the value
// of the kind before (P14D before R3/P7D), so its phrase, whichever, is the old one.
export function nameAfterChange(injector, name, before, after) {
  if (!name) return name;
  for (const [lang, words] of languages(injector)) {
    let said = null;
    const old = timerPhrase(lang, words, before.kind, before.value);
    if (startsWithPhrase(name, old)) said = old;
    else if (!before.value) said = (phrasePattern(words).exec(name) || [null])[0];
    if (!said) continue;
    const next = timerPhrase(lang, words, after.kind, after.value);
    return next ? withFirstLetterOf(name, next) + name.slice(said.length) : name;
  }
  return name;
}

// Any phrase of the language at the name's start: built from the page's words with a number in each count.
function phrasePattern(words) {
  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const number = "\\d+(?:[.,]\\d+)?";
  const countRe = (forms) => "(?:" + [...new Set(Object.values(forms))].map((f) => escape(f).split(escape("%(n)s")).join(number)).join("|") + ")";
  const unitRe = (grammar) => "(?:" + Object.values(words.units[grammar]).map(countRe).join("|") + ")";
  const joined = (grammar) => {
    const [before, between, after] = escape(words.and).split(/%\\\(first\\\)s|%\\\(second\\\)s/);
    const unit = unitRe(grammar);
    return before + unit + "(?:" + between + unit + ")*" + after;
  };
  const afterRe = escape(words.after).split(escape("%(duration)s")).join(joined("after"));
  const everyRe = escape(words.every).split(escape("%(duration)s")).join(joined("every"));
  const everyTimesRe = escape(words.everyTimes).split(escape("%(every)s")).join(everyRe).split(escape("%(times)s")).join(countRe(words.times));
  return new RegExp("^(?:" + everyTimesRe + "|" + everyRe + "|" + afterRe + ")(?![\\p{L}\\p{N}])", "iu");
}

export function nameMismatch(injector, name, current) {
  if (!name) return null;
  for (const [lang, words] of languages(injector)) {
    const said = phrasePattern(words).exec(name);
    if (!said) continue;
    const phrase = timerPhrase(lang, words, current.kind, current.value);
    if (phrase && said[0].toLowerCase() === phrase.toLowerCase()) return null;
    return { suggestion: phrase ? withFirstLetterOf(name, phrase) + name.slice(said[0].length) : null };
  }
  return null;
}

// Does the name say the timer's value (so it follows it)?
export function nameFollows(injector, name, current) {
  return languages(injector).some(([lang, words]) => startsWithPhrase(name || "", timerPhrase(lang, words, current.kind, current.value)));
}
