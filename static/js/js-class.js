// Marks the page as scripted before it is drawn ("no-js" → "js" on <html>), so styles can tell
// the two apart without a flash. Loaded without defer from <head>: the policy allows no inline script.
document.documentElement.classList.replace("no-js", "js");
