/* serve: the words of the web pages, per language (the edition's: French,
 * Dutch or English), and amounts as each language writes them. The paper's
 * own words (the call for messages) come from the layout. */
#include "serve.h"

#include "../load/load.h"

#include <math.h>

static const char *const words[RT_LANG_COUNT][UI_COUNT] =
    {
        [RT_LANG_FR] =
            {
                [UI_TITLE] = "Votre message dans le journal",
                [UI_RATES] = "Formats et tarifs",
                [UI_FORMAT] = "Format",
                [UI_SIZE] = "Taille",
                [UI_PRICE] = "Prix",
                [UI_MODULES] = "modules",
                [UI_FROM] = "Signature",
                [UI_FROM_HINT] = "Le nom imprimé sous le message : une section, un commerce, une "
                                 "famille… (200 caractères au plus)",
                [UI_TEXT] = "Votre message",
                [UI_TEXT_HINT] = "2000 caractères au plus. Une ligne vide sépare les paragraphes ; "
                                 "*italique*, **gras**.",
                [UI_FORMAT_AUTO] = "Le plus petit format où le texte tient",
                [UI_CONTACT] = "Contact",
                [UI_CONTACT_HINT] = "Courriel ou téléphone, pour la rédaction seulement (jamais "
                                    "imprimé)",
                [UI_LOGO] = "Logo (facultatif)",
                [UI_LOGO_HINT] = "PNG ou JPEG, 2 Mo et 4000 pixels de côté au plus",
                [UI_SEND] = "Envoyer le message",
                [UI_LIVE] = "Épreuve",
                [UI_LIVE_HINT] = "Le message tel qu’il sera imprimé, mis à jour pendant que vous "
                                 "écrivez.",
                [UI_PROBLEMS] = "Le message n’a pas été envoyé : corrigez ce qui est signalé.",
                [UI_EMPTY] = "Ce champ est obligatoire.",
                [UI_TOO_LONG] = "Trop long : %zu caractères, %zu au plus.",
                [UI_BAD_UTF8] = "Ce texte contient des octets qui ne sont pas de l’UTF-8.",
                [UI_BAD_CHAR] = "Caractère non accepté (code U+%04X) en position %zu.",
                [UI_ONE_LINE] = "Une seule ligne, s’il vous plaît.",
                [UI_UNKNOWN_FORMAT] = "Choisissez un des formats de la liste.",
                [UI_LOGO_TYPE] = "Le logo doit être une image PNG ou JPEG.",
                [UI_LOGO_BAD] = "Ce logo n’est pas accepté : %s",
                [UI_NOT_FIT] = "Le texte ne tient pas dans le format %s (%d ligne(s) de trop). Le "
                               "plus petit format où il tient : %s (%s).",
                [UI_NOT_FIT_ANY] = "Le texte ne tient dans aucun format : raccourcissez-le.",
                [UI_TOO_WIDE] = "Un mot est trop large pour le format %s (une longue adresse ? "
                                "coupez-la par des espaces ou choisissez un format plus large).",
                [UI_EXPIRED] = "Le formulaire a expiré ou ne vient pas de ce site : vérifiez le "
                               "message et envoyez-le à nouveau.",
                [UI_THANKS] = "Merci ! Votre message est enregistré",
                [UI_THANKS_TEXT] = "La rédaction le publiera dès réception du paiement.",
                [UI_AMOUNT] = "Montant à payer",
                [UI_REFERENCE] = "Communication du virement",
                [UI_PAY_TEXT] = "Indiquez exactement cette communication avec votre virement.",
                [UI_PROOF] = "Épreuve de votre message",
                [UI_PROOF_ALT] = "Épreuve du message au format %s",
                [UI_STATE] = "État",
                [UI_STATE_PENDING] = "en attente du paiement",
                [UI_STATE_PAID] = "payé",
                [UI_STATE_OFFERED] = "offert",
                [UI_STATE_REJECTED] = "refusé",
                [UI_FITS] = "Le texte tient dans le cadre.",
                [UI_NOT_FOUND] = "Page introuvable",
                [UI_TOO_LARGE] = "Envoi trop volumineux (2 Mo au plus)",
                [UI_TOO_MANY] = "Trop de demandes : réessayez dans une minute",
                [UI_BAD_REQUEST] = "Demande non valable",
                [UI_ADMIN] = "Messages des lecteurs",
                [UI_FILE] = "Fichier",
                [UI_MARK_PAID] = "Marquer payé",
                [UI_TOTALS] = "Totaux",
                [UI_RECEIVED] = "Reçu (payé, à imprimer)",
                [UI_OFFERED] = "Offert (imprimé gratuitement, au tarif)",
                [UI_EXPECTED] = "Attendu (en attente du paiement)",
                [UI_COUNTS] = "%zu messages : %d à imprimer, %d en attente, %d refusés",
                [UI_NEW_MESSAGE] = "Placer un autre message",
                [UI_AMOUNT_SHORT] = "Montant",
            },
        [RT_LANG_NL] =
            {
                [UI_TITLE] = "Uw boodschap in de krant",
                [UI_RATES] = "Formaten en tarieven",
                [UI_FORMAT] = "Formaat",
                [UI_SIZE] = "Grootte",
                [UI_PRICE] = "Prijs",
                [UI_MODULES] = "modules",
                [UI_FROM] = "Ondertekening",
                [UI_FROM_HINT] = "De naam onder de boodschap: een afdeling, een zaak, een gezin… "
                                 "(hoogstens 200 tekens)",
                [UI_TEXT] = "Uw boodschap",
                [UI_TEXT_HINT] = "Hoogstens 2000 tekens. Een lege regel scheidt alinea’s; "
                                 "*cursief*, **vet**.",
                [UI_FORMAT_AUTO] = "Het kleinste formaat waarin de tekst past",
                [UI_CONTACT] = "Contact",
                [UI_CONTACT_HINT] = "E-mail of telefoon, alleen voor de redactie (nooit gedrukt)",
                [UI_LOGO] = "Logo (niet verplicht)",
                [UI_LOGO_HINT] = "PNG of JPEG, hoogstens 2 MB en 4000 pixels per zijde",
                [UI_SEND] = "Boodschap versturen",
                [UI_LIVE] = "Drukproef",
                [UI_LIVE_HINT] = "De boodschap zoals ze gedrukt wordt, bijgewerkt terwijl u typt.",
                [UI_PROBLEMS] = "De boodschap is niet verstuurd: verbeter wat aangeduid is.",
                [UI_EMPTY] = "Dit veld is verplicht.",
                [UI_TOO_LONG] = "Te lang: %zu tekens, hoogstens %zu.",
                [UI_BAD_UTF8] = "Deze tekst bevat bytes die geen UTF-8 zijn.",
                [UI_BAD_CHAR] = "Teken niet toegelaten (code U+%04X) op positie %zu.",
                [UI_ONE_LINE] = "Eén regel, alstublieft.",
                [UI_UNKNOWN_FORMAT] = "Kies een van de formaten uit de lijst.",
                [UI_LOGO_TYPE] = "Het logo moet een PNG- of JPEG-afbeelding zijn.",
                [UI_LOGO_BAD] = "Dit logo wordt niet aanvaard: %s",
                [UI_NOT_FIT] = "De tekst past niet in het formaat %s (%d regel(s) te veel). Het "
                               "kleinste formaat waarin hij past: %s (%s).",
                [UI_NOT_FIT_ANY] = "De tekst past in geen enkel formaat: maak hem korter.",
                [UI_TOO_WIDE] = "Een woord is te breed voor het formaat %s (een lang adres? breek "
                                "het met spaties of kies een breder formaat).",
                [UI_EXPIRED] =
                    "Het formulier is verlopen of komt niet van deze site: controleer de "
                    "boodschap en verstuur ze opnieuw.",
                [UI_THANKS] = "Dank u! Uw boodschap is geregistreerd",
                [UI_THANKS_TEXT] = "De redactie publiceert ze zodra de betaling ontvangen is.",
                [UI_AMOUNT] = "Te betalen bedrag",
                [UI_REFERENCE] = "Mededeling bij de overschrijving",
                [UI_PAY_TEXT] = "Vermeld precies deze mededeling bij uw overschrijving.",
                [UI_PROOF] = "Drukproef van uw boodschap",
                [UI_PROOF_ALT] = "Drukproef van de boodschap in formaat %s",
                [UI_STATE] = "Status",
                [UI_STATE_PENDING] = "wacht op betaling",
                [UI_STATE_PAID] = "betaald",
                [UI_STATE_OFFERED] = "gratis",
                [UI_STATE_REJECTED] = "geweigerd",
                [UI_FITS] = "De tekst past in het kader.",
                [UI_NOT_FOUND] = "Pagina niet gevonden",
                [UI_TOO_LARGE] = "Te grote zending (hoogstens 2 MB)",
                [UI_TOO_MANY] = "Te veel aanvragen: probeer het over een minuut opnieuw",
                [UI_BAD_REQUEST] = "Ongeldige aanvraag",
                [UI_ADMIN] = "Boodschappen van lezers",
                [UI_FILE] = "Bestand",
                [UI_MARK_PAID] = "Betaald",
                [UI_TOTALS] = "Totalen",
                [UI_RECEIVED] = "Ontvangen (betaald, te drukken)",
                [UI_OFFERED] = "Gratis (gedrukt zonder betaling, tegen tarief)",
                [UI_EXPECTED] = "Verwacht (wacht op betaling)",
                [UI_COUNTS] = "%zu boodschappen: %d te drukken, %d wachtend, %d geweigerd",
                [UI_NEW_MESSAGE] = "Nog een boodschap plaatsen",
                [UI_AMOUNT_SHORT] = "Bedrag",
            },
        [RT_LANG_EN] =
            {
                [UI_TITLE] = "Your message in the paper",
                [UI_RATES] = "Formats and prices",
                [UI_FORMAT] = "Format",
                [UI_SIZE] = "Size",
                [UI_PRICE] = "Price",
                [UI_MODULES] = "modules",
                [UI_FROM] = "Signature",
                [UI_FROM_HINT] = "The name printed under the message: a branch, a shop, a family… "
                                 "(at most 200 characters)",
                [UI_TEXT] = "Your message",
                [UI_TEXT_HINT] = "At most 2000 characters. A blank line separates paragraphs; "
                                 "*italic*, **bold**.",
                [UI_FORMAT_AUTO] = "The smallest format the text fits",
                [UI_CONTACT] = "Contact",
                [UI_CONTACT_HINT] = "E-mail or phone, for the editors only (never printed)",
                [UI_LOGO] = "Logo (optional)",
                [UI_LOGO_HINT] = "PNG or JPEG, at most 2 MB and 4000 pixels a side",
                [UI_SEND] = "Send the message",
                [UI_LIVE] = "Proof",
                [UI_LIVE_HINT] = "The message as it will print, updated as you type.",
                [UI_PROBLEMS] = "The message was not sent: please correct what is marked.",
                [UI_EMPTY] = "This field is required.",
                [UI_TOO_LONG] = "Too long: %zu characters, at most %zu.",
                [UI_BAD_UTF8] = "This text has bytes that are not UTF-8.",
                [UI_BAD_CHAR] = "Character not accepted (code U+%04X) at position %zu.",
                [UI_ONE_LINE] = "One line only, please.",
                [UI_UNKNOWN_FORMAT] = "Choose one of the formats listed.",
                [UI_LOGO_TYPE] = "The logo must be a PNG or JPEG image.",
                [UI_LOGO_BAD] = "This logo is not accepted: %s",
                [UI_NOT_FIT] = "The text does not fit the %s format (%d line(s) too many). The "
                               "smallest format it fits: %s (%s).",
                [UI_NOT_FIT_ANY] = "The text fits no format: please shorten it.",
                [UI_TOO_WIDE] = "A word is too wide for the %s format (a long address? break it "
                                "with spaces or choose a wider format).",
                [UI_EXPIRED] = "The form has expired or does not come from this site: check the "
                               "message and send it again.",
                [UI_THANKS] = "Thank you! Your message is filed",
                [UI_THANKS_TEXT] = "The editors will print it once the payment is received.",
                [UI_AMOUNT] = "Amount to pay",
                [UI_REFERENCE] = "Payment reference",
                [UI_PAY_TEXT] = "Please give exactly this reference with your transfer.",
                [UI_PROOF] = "Proof of your message",
                [UI_PROOF_ALT] = "Proof of the message in the %s format",
                [UI_STATE] = "State",
                [UI_STATE_PENDING] = "payment pending",
                [UI_STATE_PAID] = "paid",
                [UI_STATE_OFFERED] = "offered",
                [UI_STATE_REJECTED] = "rejected",
                [UI_FITS] = "The text fits the box.",
                [UI_NOT_FOUND] = "Page not found",
                [UI_TOO_LARGE] = "Request too large (at most 2 MB)",
                [UI_TOO_MANY] = "Too many requests: try again in a minute",
                [UI_BAD_REQUEST] = "Bad request",
                [UI_ADMIN] = "Supporter messages",
                [UI_FILE] = "File",
                [UI_MARK_PAID] = "Mark paid",
                [UI_TOTALS] = "Totals",
                [UI_RECEIVED] = "Received (paid, to print)",
                [UI_OFFERED] = "Offered (printed free, at the rate card)",
                [UI_EXPECTED] = "Expected (payment pending)",
                [UI_COUNTS] = "%zu messages: %d to print, %d pending, %d rejected",
                [UI_NEW_MESSAGE] = "Place another message",
                [UI_AMOUNT_SHORT] = "Amount",
            },
};

const char *rt_ui_word(int lang, rt_ui w) {
    if (lang < 0 || lang >= RT_LANG_COUNT)
        lang = RT_LANG_EN;
    return words[lang][w];
}

void rt_money(rt_buf *b, int lang, double amount) {
    long long cents = llround(amount * 100);
    if (lang == RT_LANG_EN)
        rt_buf_addf(b, "€%lld.%02lld", cents / 100, cents % 100);
    else /* a no-break space before the sign */
        rt_buf_addf(b, "%lld,%02lld\xc2\xa0€", cents / 100, cents % 100);
}
