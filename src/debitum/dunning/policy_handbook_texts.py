"""The words of the collection handbook in English, Dutch and French.

Kept beside the handbook rather than in gettext catalogues: the legal notes are paragraphs that a
lawyer reads per language, and a handbook in a language must not fall back to English halfway.
"""

from __future__ import annotations

LANGUAGES = ("en", "nl", "fr")

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Collection handbook",
        "intro": (
            "Every collector of {name} follows this handbook. For each country and customer "
            "segment it shows the dunning ladder Debitum runs: which step on which day, through "
            "which channel, whether it charges costs and interest, and whether it waits for "
            "approval. It is printed from the administration's policies ({code}): to change the "
            "way of working, change the policies, then print the handbook again."
        ),
        "working_title": "How we work",
        "working": (
            "Start with the largest and the oldest balances: the top and the left of the aging "
            "list, an inverted L. As the backlog shrinks, the top gets smaller and younger.\n"
            "An invoice walks its ladder one step at a time and never skips a step: an invoice "
            "found ninety days late starts with the first reminder. A step is due on its day "
            "(counted from the due date; a negative day is before it) and no sooner than its "
            "minimum number of days after the previous step.\n"
            "The invoices of one customer that reach the same step on the same day go out as one "
            "message. Disputed invoices (for the disputed part), invoices under a payment plan, "
            "customers with an open promise to pay and paused customers are not dunned. A promise "
            "counts as broken when the promised date plus the grace days has passed without "
            "payment; dunning then resumes. A step that needs approval waits until it is approved."
        ),
        "law_title": "The law",
        "law_NL": (
            "Businesses: at least 40.00 in collection costs is due from the day after the due "
            "date without a reminder (art. 6:96 lid 4 BW); the costs follow the scale of the "
            "Besluit vergoeding voor buitengerechtelijke incassokosten (15% of the first 2,500.00 "
            "down to 0.5%, at most 6,775.00). Commercial interest: art. 6:119a BW, the ECB rate "
            "plus 8 points, added to the principal every year.\n"
            "Consumers: collection costs are due only after the fourteen-day letter (art. 6:96 "
            "lid 6 BW), sent after default, naming the costs and giving fourteen days from the "
            "day after it is received; a term that ends too early makes no costs due at all (HR "
            "25 November 2016, ECLI:NL:HR:2016:2704). Debitum prints the pay-before date, "
            "counting delivery and the Algemene termijnenwet. Statutory interest: art. 6:119 BW."
        ),
        "law_BE": (
            "Businesses: a flat 40.00 per unpaid invoice is due without notice (art. 6 of the "
            "law of 2 August 2002), with the late-payment interest of art. 5 (the ECB rate plus "
            "8 points, rounded up to the next half percent, per half year, not compounded).\n"
            "Consumers (Book XIX of the Code of Economic Law): the first reminder is free and "
            "states what will be charged if it is not paid. Nothing may be charged during the "
            "fourteen calendar days that follow (from the day after an e-mail, from the third "
            "working day after posting). After that, damages of at most 20.00 (up to 150.00), "
            "30.00 plus 10% above 150.00 (up to 500.00), 65.00 plus 5% above 500.00 (at most "
            "2,000.00); a paid reminder, where allowed, costs at most 7.50 plus postage. "
            "Interest at the legal rate."
        ),
        "law_sources": (
            "The rules with worked examples and their sources are in Debitum's documentation: "
            "collection costs (docs/law/collection-costs.md), interest (docs/law/interest.md) and "
            "terms and pay-before dates (docs/law/calendars.md)."
        ),
        "country_NL": "Netherlands",
        "country_BE": "Belgium",
        "inactive": "switched off",
        "threshold": "Messages under {amount} are not sent",
        "pay_within": "pay within {days} days",
        "grace": "promise grace {days} days",
        "col_position": "#",
        "col_day": "Day",
        "col_step": "Step",
        "col_channel": "Channel",
        "col_after": "Days after previous",
        "col_charges": "Costs / interest",
        "col_approval": "Approval",
        "costs": "costs",
        "interest": "interest",
        "none": "none",
        "yes": "yes",
        "no": "no",
        "no_steps": "This policy has no steps: its customers are not dunned.",
        "no_policies": "This administration has no dunning policies.",
        "segment_low": "Low risk",
        "segment_normal": "Normal risk",
        "segment_high": "High risk",
        "segment_strategic": "Strategic",
        "segment_intercompany": "Intercompany",
        "segment_consumer": "Consumers",
        "kind_pre_due_reminder": "pre-due reminder",
        "kind_reminder": "reminder",
        "kind_phone_call": "phone call",
        "kind_demand": "demand",
        "kind_fourteen_day_letter": "fourteen-day letter",
        "kind_notice_of_default": "notice of default",
        "kind_agency_handover": "hand-over to an agency",
        "kind_legal": "legal action",
        "channel_email": "e-mail",
        "channel_letter": "letter",
        "channel_email_and_letter": "e-mail and letter",
        "channel_phone_task": "phone call (task)",
        "channel_handover": "hand-over (case)",
    },
    "nl": {
        "title": "Incassohandboek",
        "intro": (
            "Elke debiteurenbeheerder van {name} volgt dit handboek. Per land en klantsegment "
            "staat hier de aanmaningsladder die Debitum uitvoert: welke stap op welke dag, via "
            "welk kanaal, of er kosten en rente worden berekend en of de stap op goedkeuring "
            "wacht. Het is afgedrukt uit de beleidsregels van de administratie ({code}): wie de "
            "werkwijze wil veranderen, past het beleid aan en drukt het handboek opnieuw af."
        ),
        "working_title": "Zo werken we",
        "working": (
            "Begin bij de grootste en de oudste saldi: de bovenkant en de linkerkant van de "
            "ouderdomslijst, een omgekeerde L. Naarmate de achterstand slinkt, wordt de top "
            "kleiner en minder oud.\n"
            "Een factuur doorloopt haar ladder stap voor stap en slaat er geen over: een factuur "
            "die negentig dagen te laat wordt gevonden, begint bij de eerste herinnering. Een "
            "stap is aan de beurt op zijn dag (geteld vanaf de vervaldatum; een negatieve dag "
            "ligt ervoor) en niet eerder dan het minimum aantal dagen na de vorige stap.\n"
            "De facturen van een klant die op dezelfde dag dezelfde stap bereiken, gaan in één "
            "bericht. Betwiste facturen (voor het betwiste deel), facturen in een "
            "betalingsregeling, klanten met een lopende betaalbelofte en gepauzeerde klanten "
            "worden niet aangemaand. Een belofte is gebroken als de beloofde datum plus de "
            "coulancedagen voorbij is zonder betaling; het aanmanen gaat dan verder. Een stap die "
            "goedkeuring nodig heeft, wacht tot hij is goedgekeurd."
        ),
        "law_title": "De wet",
        "law_NL": (
            "Bedrijven: ten minste 40,00 aan incassokosten is verschuldigd vanaf de dag na de "
            "vervaldatum, zonder aanmaning (art. 6:96 lid 4 BW); de kosten volgen de staffel van "
            "het Besluit vergoeding voor buitengerechtelijke incassokosten (15% over de eerste "
            "2.500,00 aflopend tot 0,5%, ten hoogste 6.775,00). Handelsrente: art. 6:119a BW, de "
            "ECB-rente plus 8 procentpunten, jaarlijks bij de hoofdsom opgeteld.\n"
            "Consumenten: incassokosten zijn pas verschuldigd na de veertiendagenbrief (art. 6:96 "
            "lid 6 BW), verstuurd na het verzuim, die de kosten noemt en veertien dagen geeft "
            "vanaf de dag na ontvangst; een termijn die te vroeg eindigt, maakt helemaal geen "
            "kosten verschuldigd (HR 25 november 2016, ECLI:NL:HR:2016:2704). Debitum drukt de "
            "uiterste betaaldatum af, met de bezorging en de Algemene termijnenwet meegeteld. "
            "Wettelijke rente: art. 6:119 BW."
        ),
        "law_BE": (
            "Bedrijven: per onbetaalde factuur is forfaitair 40,00 verschuldigd zonder "
            "ingebrekestelling (art. 6 van de wet van 2 augustus 2002), met de "
            "nalatigheidsinterest van art. 5 (de ECB-rente plus 8 procentpunten, naar boven "
            "afgerond op een half procent, per halfjaar, niet samengesteld).\n"
            "Consumenten (Boek XIX van het Wetboek van economisch recht): de eerste herinnering is "
            "kosteloos en vermeldt wat er wordt aangerekend als ze niet wordt betaald. In de "
            "veertien kalenderdagen daarna mag niets worden aangerekend (vanaf de dag na een "
            "e-mail, vanaf de derde werkdag na verzending per post). Daarna een schadevergoeding "
            "van ten hoogste 20,00 (tot 150,00), 30,00 plus 10% boven 150,00 (tot 500,00), 65,00 "
            "plus 5% boven 500,00 (ten hoogste 2.000,00); een betalende herinnering kost, waar "
            "toegestaan, ten hoogste 7,50 plus de portkosten. Interest tegen de wettelijke "
            "rentevoet."
        ),
        "law_sources": (
            "De regels met uitgewerkte voorbeelden en hun bronnen staan in de documentatie van "
            "Debitum: incassokosten (docs/law/collection-costs.md), rente (docs/law/interest.md) "
            "en termijnen en betaaldata (docs/law/calendars.md)."
        ),
        "country_NL": "Nederland",
        "country_BE": "België",
        "inactive": "uitgeschakeld",
        "threshold": "Berichten onder {amount} worden niet verstuurd",
        "pay_within": "betalen binnen {days} dagen",
        "grace": "coulance bij een belofte {days} dagen",
        "col_position": "#",
        "col_day": "Dag",
        "col_step": "Stap",
        "col_channel": "Kanaal",
        "col_after": "Dagen na vorige",
        "col_charges": "Kosten / rente",
        "col_approval": "Goedkeuring",
        "costs": "kosten",
        "interest": "rente",
        "none": "geen",
        "yes": "ja",
        "no": "nee",
        "no_steps": "Dit beleid heeft geen stappen: de klanten worden niet aangemaand.",
        "no_policies": "Deze administratie heeft geen aanmaningsbeleid.",
        "segment_low": "Laag risico",
        "segment_normal": "Normaal risico",
        "segment_high": "Hoog risico",
        "segment_strategic": "Strategisch",
        "segment_intercompany": "Intercompany",
        "segment_consumer": "Consumenten",
        "kind_pre_due_reminder": "herinnering vóór de vervaldatum",
        "kind_reminder": "herinnering",
        "kind_phone_call": "telefoontje",
        "kind_demand": "aanmaning",
        "kind_fourteen_day_letter": "veertiendagenbrief",
        "kind_notice_of_default": "ingebrekestelling",
        "kind_agency_handover": "overdracht aan incassobureau",
        "kind_legal": "gerechtelijke stappen",
        "channel_email": "e-mail",
        "channel_letter": "brief",
        "channel_email_and_letter": "e-mail en brief",
        "channel_phone_task": "telefoontje (taak)",
        "channel_handover": "overdracht (dossier)",
    },
    "fr": {
        "title": "Manuel de recouvrement",
        "intro": (
            "Chaque gestionnaire de créances de {name} suit ce manuel. Pour chaque pays et "
            "segment de clients, il montre l'échelle de relance que Debitum applique : quelle "
            "étape à quel jour, par quel canal, si elle facture des frais et des intérêts, et si "
            "elle attend une approbation. Il est imprimé à partir des politiques de "
            "l'administration ({code}) : pour changer la façon de travailler, modifiez les "
            "politiques, puis imprimez à nouveau le manuel."
        ),
        "working_title": "Notre méthode",
        "working": (
            "Commencez par les soldes les plus élevés et les plus anciens : le haut et la gauche "
            "de la balance âgée, un L inversé. À mesure que l'arriéré diminue, le haut devient "
            "plus petit et plus récent.\n"
            "Une facture parcourt son échelle une étape à la fois et n'en saute aucune : une "
            "facture trouvée avec quatre-vingt-dix jours de retard commence par le premier "
            "rappel. Une étape est due à son jour (compté depuis l'échéance ; un jour négatif la "
            "précède) et pas avant son nombre minimal de jours après l'étape précédente.\n"
            "Les factures d'un client qui atteignent la même étape le même jour partent en un "
            "seul message. Les factures contestées (pour la partie contestée), les factures sous "
            "plan de paiement, les clients avec une promesse de paiement en cours et les clients "
            "suspendus ne sont pas relancés. Une promesse est rompue lorsque la date promise plus "
            "les jours de grâce est passée sans paiement ; la relance reprend alors. Une étape "
            "soumise à approbation attend d'être approuvée."
        ),
        "law_title": "La loi",
        "law_NL": (
            "Entreprises : au moins 40,00 de frais de recouvrement sont dus dès le lendemain de "
            "l'échéance, sans rappel (art. 6:96 lid 4 BW) ; les frais suivent le barème du "
            "Besluit vergoeding voor buitengerechtelijke incassokosten (15 % des premiers "
            "2 500,00 jusqu'à 0,5 %, au plus 6 775,00). Intérêts commerciaux : art. 6:119a BW, "
            "le taux de la BCE plus 8 points, capitalisés chaque année.\n"
            "Consommateurs : les frais de recouvrement ne sont dus qu'après la lettre de quatorze "
            "jours (art. 6:96 lid 6 BW), envoyée après la mise en demeure, qui mentionne les "
            "frais et accorde quatorze jours à compter du lendemain de sa réception ; un délai "
            "qui finit trop tôt ne rend aucun frais exigible (HR 25 novembre 2016, "
            "ECLI:NL:HR:2016:2704). Debitum imprime la date limite de paiement, en comptant la "
            "distribution et l'Algemene termijnenwet. Intérêt légal : art. 6:119 BW."
        ),
        "law_BE": (
            "Entreprises : une indemnité forfaitaire de 40,00 par facture impayée est due sans "
            "mise en demeure (art. 6 de la loi du 2 août 2002), avec les intérêts de retard de "
            "l'art. 5 (le taux de la BCE plus 8 points, arrondi au demi-point supérieur, par "
            "semestre, sans capitalisation).\n"
            "Consommateurs (livre XIX du Code de droit économique) : le premier rappel est "
            "gratuit et indique ce qui sera facturé s'il n'est pas payé. Rien ne peut être "
            "facturé pendant les quatorze jours calendrier qui suivent (à partir du lendemain "
            "d'un e-mail, du troisième jour ouvrable après l'envoi postal). Ensuite, une "
            "indemnité d'au plus 20,00 (jusqu'à 150,00), 30,00 plus 10 % au-delà de 150,00 "
            "(jusqu'à 500,00), 65,00 plus 5 % au-delà de 500,00 (au plus 2 000,00) ; un rappel "
            "payant, lorsqu'il est permis, coûte au plus 7,50 plus les frais postaux. Intérêts au "
            "taux légal."
        ),
        "law_sources": (
            "Les règles, avec des exemples chiffrés et leurs sources, figurent dans la "
            "documentation de Debitum : frais de recouvrement (docs/law/collection-costs.md), "
            "intérêts (docs/law/interest.md), délais et dates de paiement "
            "(docs/law/calendars.md)."
        ),
        "country_NL": "Pays-Bas",
        "country_BE": "Belgique",
        "inactive": "désactivée",
        "threshold": "Les messages de moins de {amount} ne sont pas envoyés",
        "pay_within": "payer dans les {days} jours",
        "grace": "grâce après une promesse {days} jours",
        "col_position": "#",
        "col_day": "Jour",
        "col_step": "Étape",
        "col_channel": "Canal",
        "col_after": "Jours après la précédente",
        "col_charges": "Frais / intérêts",
        "col_approval": "Approbation",
        "costs": "frais",
        "interest": "intérêts",
        "none": "aucun",
        "yes": "oui",
        "no": "non",
        "no_steps": "Cette politique n'a pas d'étapes : ses clients ne sont pas relancés.",
        "no_policies": "Cette administration n'a pas de politique de relance.",
        "segment_low": "Risque faible",
        "segment_normal": "Risque normal",
        "segment_high": "Risque élevé",
        "segment_strategic": "Stratégique",
        "segment_intercompany": "Intragroupe",
        "segment_consumer": "Consommateurs",
        "kind_pre_due_reminder": "rappel avant l'échéance",
        "kind_reminder": "rappel",
        "kind_phone_call": "appel téléphonique",
        "kind_demand": "sommation",
        "kind_fourteen_day_letter": "lettre de quatorze jours",
        "kind_notice_of_default": "mise en demeure",
        "kind_agency_handover": "transfert à une agence de recouvrement",
        "kind_legal": "action en justice",
        "channel_email": "e-mail",
        "channel_letter": "lettre",
        "channel_email_and_letter": "e-mail et lettre",
        "channel_phone_task": "appel (tâche)",
        "channel_handover": "transfert (dossier)",
    },
}
