/// The SCORM and cmi5 runtimes in the player.
let runtimeMessages: [Language: [String: String]] = [
    .nl: [
        "runtime.loading": "De module wordt geladen…",
        "runtime.noscript": "Deze module werkt alleen met JavaScript. Zet JavaScript aan en laad de pagina opnieuw.",
        "runtime.start.failed": "De module kon niet starten. Laad de pagina opnieuw; lukt het dan nog niet, probeer het later nog eens.",
        "runtime.saving.retrying": "Je voortgang kon niet bewaard worden. We proberen het opnieuw; sluit deze pagina nog niet.",
        "runtime.saving.saved": "Je voortgang is bewaard.",
        "runtime.session.superseded": "Je hebt deze module in een ander venster geopend. Je voortgang wordt daar bewaard; sluit dit venster.",
        "runtime.session.signedOut": "Je bent afgemeld, dus je voortgang wordt niet meer bewaard. Meld je opnieuw aan en open de module nog eens.",
        "runtime.course.complete": "Proficiat, je hebt de opleiding afgerond.",
    ],
    .fr: [
        "runtime.loading": "Chargement du module…",
        "runtime.noscript": "Ce module ne fonctionne qu’avec JavaScript. Activez JavaScript et rechargez la page.",
        "runtime.start.failed": "Le module n’a pas pu démarrer. Rechargez la page ; si cela ne fonctionne toujours pas, réessayez plus tard.",
        "runtime.saving.retrying": "Votre progression n’a pas pu être enregistrée. Nous réessayons ; ne fermez pas encore cette page.",
        "runtime.saving.saved": "Votre progression est enregistrée.",
        "runtime.session.superseded": "Vous avez ouvert ce module dans une autre fenêtre. Votre progression y est enregistrée ; fermez cette fenêtre-ci.",
        "runtime.session.signedOut": "Vous êtes déconnecté·e : votre progression n’est plus enregistrée. Reconnectez-vous et rouvrez le module.",
        "runtime.course.complete": "Félicitations, vous avez terminé la formation.",
    ],
    .en: [
        "runtime.loading": "Loading the module…",
        "runtime.noscript": "This module only works with JavaScript. Turn JavaScript on and reload the page.",
        "runtime.start.failed": "The module could not start. Reload the page; if it still does not work, try again later.",
        "runtime.saving.retrying": "Your progress could not be saved. We are trying again; do not close this page yet.",
        "runtime.saving.saved": "Your progress has been saved.",
        "runtime.session.superseded": "You opened this module in another window. Your progress is saved there; close this window.",
        "runtime.session.signedOut": "You have been signed out, so your progress is no longer saved. Sign in again and reopen the module.",
        "runtime.course.complete": "Congratulations, you have completed the course.",
    ],
]
