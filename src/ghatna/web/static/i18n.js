// Interface labels: English, and Hindi as an option. Content (names, sentences) stays as written.
"use strict";
const LABELS = {
  en: {
    search: "Search", search_placeholder: "Search sentences (प्रदर्शन*)", events: "Events", api: "API",
    from: "From", to: "To", type: "Type", entity: "Entity", story: "Story", text: "Words",
    flagged_only: "conflicts only", apply: "Apply", reset: "Reset", any: "any",
    trigger: "event", actor: "actor", recipient: "recipient", place: "place", date: "date",
    number: "number", footer: "Every fact links to the sentence it came from.",
    shown: "{n} of {total} events shown", more: "{n} more", undated: "{n} undated (not on the timeline)",
    sources: "Sources", flags: "Conflicts", numbers: "Numbers", confidence: "confidence",
    pick_event: "Click an event on the timeline or in this list to see its sources.",
    back: "back to the list", spellings: "Spellings seen", mentions: "mentions",
    claims: "Claims", no_events: "No events match.", no_hits: "No matches.",
    results_for: "Sentences matching", document: "Document", published: "published",
    open_document: "whole article", place_filter: "place: {name}", clear: "clear",
    no_coords: "{n} place(s) without coordinates", entity_events: "Events ({n})",
    loading: "loading…", error: "Could not load: {msg}", said: "said",
    label_PER: "person", label_ORG: "organisation", label_LOC: "place",
  },
  hi: {
    search: "खोजें", search_placeholder: "वाक्य खोजें (प्रदर्शन*)", events: "घटनाएँ", api: "API",
    from: "से", to: "तक", type: "प्रकार", entity: "नाम", story: "ख़बर", text: "शब्द",
    flagged_only: "केवल विरोधाभास", apply: "लागू करें", reset: "साफ़ करें", any: "सभी",
    trigger: "घटना", actor: "कर्ता", recipient: "लक्ष्य", place: "स्थान", date: "तारीख़",
    number: "संख्या", footer: "हर तथ्य उस वाक्य से जुड़ा है जिससे वह आया।",
    shown: "{total} में से {n} घटनाएँ", more: "{n} और", undated: "{n} बिना तारीख़ (समयरेखा पर नहीं)",
    sources: "स्रोत", flags: "विरोधाभास", numbers: "संख्याएँ", confidence: "विश्वास",
    pick_event: "स्रोत देखने के लिए समयरेखा या इस सूची में किसी घटना पर क्लिक करें।",
    back: "सूची पर वापस", spellings: "देखी गई वर्तनियाँ", mentions: "उल्लेख",
    claims: "दावे", no_events: "कोई घटना नहीं मिली।", no_hits: "कुछ नहीं मिला।",
    results_for: "मेल खाते वाक्य", document: "दस्तावेज़", published: "प्रकाशित",
    open_document: "पूरा लेख", place_filter: "स्थान: {name}", clear: "हटाएँ",
    no_coords: "{n} स्थान बिना निर्देशांक", entity_events: "घटनाएँ ({n})",
    loading: "लोड हो रहा है…", error: "लोड नहीं हो सका: {msg}", said: "ने कहा",
    label_PER: "व्यक्ति", label_ORG: "संगठन", label_LOC: "स्थान",
  },
};

let LANG = (() => { try { return localStorage.getItem("ghatna-lang") || "en"; } catch (e) { return "en"; } })();

function t(key, vars) {
  let s = (LABELS[LANG] && LABELS[LANG][key]) || LABELS.en[key] || key;
  for (const [k, v] of Object.entries(vars || {})) s = s.replace("{" + k + "}", v);
  return s;
}

function applyLabels() {
  document.documentElement.lang = LANG;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  const toggle = document.getElementById("lang-toggle");
  if (toggle) toggle.textContent = LANG === "en" ? "हिन्दी" : "English";
}

function setLang(lang) {
  LANG = lang;
  try { localStorage.setItem("ghatna-lang", lang); } catch (e) { /* private mode: not remembered */ }
  applyLabels();
}
