// Sends the LTI message form on the page to the tool as soon as the page has loaded (the button is there for
// browsers without scripts).
document.getElementById("lti-post").submit();
