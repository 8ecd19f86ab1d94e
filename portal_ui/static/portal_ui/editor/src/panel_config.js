/* What the page gives the Portal group (config.portal): its texts (translated there), the choices that
   arrive after start-up (options: form keys, service operations, the decision tables below the editor)
   and the request type's contract (editor_panel.py: each user task's form with its fields, the decision
   tables the type needs, the timers its terms fix). */

export function config(injector) {
  return injector.get("config.portal", false) || {};
}

export function text(injector, key, fallback) {
  const texts = config(injector).texts;
  return (texts && texts[key]) || fallback;
}

export function options(injector, key) {
  const values = config(injector).options;
  return (values && values[key]) || [];
}

export function contractOf(injector) {
  return Object.assign({ tasks: {}, forms: {}, decisions: [], timers: {} }, config(injector).contract || {});
}

// A lane's word on the page (the contract's "lanes": Client → Klient); a name deploy does not know stays as it is.
export function laneLabel(injector, name) {
  return (contractOf(injector).lanes || {})[name] || name;
}

// "%(name)s" placeholders, as the page's gettext texts have them.
export function format(template, values) {
  return Object.keys(values).reduce((out, key) => out.split("%(" + key + ")s").join(String(values[key])), template);
}

export function withCurrent(values, current) {
  // A value the lists do not know (an older form, a function not registered here) stays selectable.
  return current && !values.includes(current) ? [...values, current] : values;
}

export function update(element, moddleElement, properties) {
  return { cmd: "element.updateModdleProperties", context: { element, moddleElement, properties } };
}
