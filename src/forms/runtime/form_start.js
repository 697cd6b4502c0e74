/* The questionnaire runtime's end (see form.parts): every part above is defined, and in a form
   that encrypts form_seal.js has added its actions, so the questionnaire starts. */

  start();
})();
