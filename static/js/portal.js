// Progressive enhancement only: the portal works without JavaScript.
