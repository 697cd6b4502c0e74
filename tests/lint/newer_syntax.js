/* Syntax newer than ES2018, which older browsers cannot parse: the lint must refuse it. */
var value = window.answer ?? 0;
