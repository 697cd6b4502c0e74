// Broken on purpose: the output gate must find the network call.
fetch("https://example.org/collect");
