<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nl" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../workbench/ui/about_dialog.py" line="38"/>
        <source>About Workbench</source>
        <translation>Over Workbench</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/about_dialog.py" line="41"/>
        <source>&lt;b&gt;Workbench %1&lt;/b&gt;: e-consult triage for GP practices.</source>
        <translation>&lt;b&gt;Workbench %1&lt;/b&gt;: triage van e-consulten voor huisartsenpraktijken.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/about_dialog.py" line="45"/>
        <source>Workbench is free software: you can redistribute it and/or modify it under the terms of the GNU General Public License, version 3 or (at your option) any later version (%1).</source>
        <translation>Workbench is vrije software: u mag het verspreiden en/of aanpassen onder de voorwaarden van de GNU General Public License, versie 3 of (naar keuze) een latere versie (%1).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/about_dialog.py" line="50"/>
        <source>Workbench comes with ABSOLUTELY NO WARRANTY, to the extent permitted by law; see the license for details. Its urgency advice supports, and never replaces, the judgement of the practice.</source>
        <translation>Workbench wordt geleverd ZONDER ENIGE GARANTIE, voor zover de wet dat toestaat; zie de licentie voor de details. Het urgentieadvies ondersteunt het oordeel van de praktijk en vervangt het nooit.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/about_dialog.py" line="61"/>
        <source>The list of third-party licenses is missing: %1</source>
        <translation>De lijst met licenties van software van derden ontbreekt: %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/about_dialog.py" line="64"/>
        <source>The license text is missing: %1. See https://www.gnu.org/licenses/gpl-3.0.html</source>
        <translation>De licentietekst ontbreekt: %1. Zie https://www.gnu.org/licenses/gpl-3.0.html</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/about_dialog.py" line="65"/>
        <source>Third-party software</source>
        <translation>Software van derden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/about_dialog.py" line="66"/>
        <source>License (GNU GPL)</source>
        <translation>Licentie (GNU GPL)</translation>
    </message>
</context>
<context>
    <name>AccessReportDialog</name>
    <message>
        <location filename="../../workbench/ui/access_report_dialog.py" line="59"/>
        <source>Access report</source>
        <translation>Inzageverzoek</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/access_report_dialog.py" line="62"/>
        <source>9 digits</source>
        <translation>9 cijfers</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/access_report_dialog.py" line="63"/>
        <source>BSN of the patient</source>
        <translation>BSN van de patiënt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/access_report_dialog.py" line="70"/>
        <source>to</source>
        <translation>t/m</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/access_report_dialog.py" line="73"/>
        <source>Names of the people (practice setting)</source>
        <translation>Namen van medewerkers (instelling van de praktijk)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/access_report_dialog.py" line="77"/>
        <source>&amp;BSN:</source>
        <translation>&amp;BSN:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/access_report_dialog.py" line="78"/>
        <source>Period:</source>
        <translation>Periode:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/access_report_dialog.py" line="83"/>
        <source>Report</source>
        <translation>Overzicht</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/access_report_dialog.py" line="85"/>
        <source>Type the BSN and the period, then choose &apos;Make report&apos;.</source>
        <translation>Typ het BSN en de periode en kies &apos;Overzicht maken&apos;.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/access_report_dialog.py" line="90"/>
        <source>&amp;Make report</source>
        <translation>Overzicht &amp;maken</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/access_report_dialog.py" line="91"/>
        <source>&amp;Save…</source>
        <translation>&amp;Opslaan…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/access_report_dialog.py" line="127"/>
        <source>Making the report…</source>
        <translation>Overzicht wordt gemaakt…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/access_report_dialog.py" line="137"/>
        <source>Save access report</source>
        <translation>Inzageoverzicht opslaan</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/access_report_dialog.py" line="139"/>
        <source>Text (*.txt);;CSV for a spreadsheet (*.csv)</source>
        <translation>Tekst (*.txt);;CSV voor een spreadsheet (*.csv)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/access_report_dialog.py" line="160"/>
        <source>Saved to {file}</source>
        <translation>Opgeslagen in {file}</translation>
    </message>
    <message numerus="yes">
        <location filename="../../workbench/ui/access_report_dialog.py" line="180"/>
        <source>%n event(s) in this period.</source>
        <translation>
            <numerusform>%n handeling in deze periode.</numerusform>
            <numerusform>%n handelingen in deze periode.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../workbench/ui/access_report_dialog.py" line="189"/>
        <source>The report could not be saved: {reason}</source>
        <translation>Het overzicht kon niet worden opgeslagen: {reason}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/access_report_dialog.py" line="201"/>
        <source>A BSN has 9 digits.</source>
        <translation>Een BSN heeft 9 cijfers.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/access_report_dialog.py" line="202"/>
        <source>The period ends before it starts.</source>
        <translation>De periode eindigt voordat hij begint.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/access_report_dialog.py" line="203"/>
        <source>Only the practice manager may make access reports.</source>
        <translation>Alleen de praktijkmanager mag inzageoverzichten maken.</translation>
    </message>
</context>
<context>
    <name>ActionFeedback</name>
    <message>
        <location filename="../../workbench/ui/action_feedback.py" line="29"/>
        <source>&amp;Undo</source>
        <translation>&amp;Ongedaan maken</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/action_feedback.py" line="30"/>
        <source>Undo the last action (Ctrl+Z)</source>
        <translation>De laatste handeling ongedaan maken (Ctrl+Z)</translation>
    </message>
</context>
<context>
    <name>AddAccountDialog</name>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="266"/>
        <source>Add user</source>
        <translation>Gebruiker toevoegen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="278"/>
        <source>optional</source>
        <translation>optioneel</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="280"/>
        <source>Not linked</source>
        <translation>Niet gekoppeld</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="284"/>
        <source>Also ask a code from an authenticator &amp;app</source>
        <translation>Ook een code uit een authenticator-&amp;app vragen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="288"/>
        <source>&amp;Name:</source>
        <translation>&amp;Naam:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="289"/>
        <source>&amp;Username:</source>
        <translation>&amp;Gebruikersnaam:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="290"/>
        <source>&amp;Role:</source>
        <translation>&amp;Rol:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="291"/>
        <source>A&amp;GB code:</source>
        <translation>A&amp;GB-code:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="292"/>
        <source>Lin&amp;k to portal practitioner:</source>
        <translation>&amp;Koppelen aan zorgverlener van het portaal:</translation>
    </message>
</context>
<context>
    <name>AdminMenu</name>
    <message>
        <location filename="../../workbench/ui/admin_menu.py" line="45"/>
        <source>&amp;Admin</source>
        <translation>Behee&amp;r</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/admin_menu.py" line="48"/>
        <source>&amp;Users…</source>
        <translation>&amp;Gebruikers…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/admin_menu.py" line="52"/>
        <source>&amp;Access report…</source>
        <translation>&amp;Inzageverzoek…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/admin_menu.py" line="57"/>
        <source>&amp;Tariffs…</source>
        <translation>&amp;Tarieven…</translation>
    </message>
</context>
<context>
    <name>AnswerConflict</name>
    <message>
        <location filename="../../workbench/ui/answer_conflict.py" line="24"/>
        <source>Your answer has not been sent. Read what changed first.</source>
        <translation>Uw antwoord is niet verstuurd. Lees eerst wat er veranderd is.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/answer_conflict.py" line="26"/>
        <source>Changed meanwhile</source>
        <translation>Intussen gewijzigd</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/answer_conflict.py" line="31"/>
        <source>&amp;Keep as draft</source>
        <translation>Als &amp;concept bewaren</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/answer_conflict.py" line="34"/>
        <source>&amp;Discard my answer</source>
        <translation>Mijn antwoord &amp;weggooien</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/answer_conflict.py" line="37"/>
        <source>&amp;Send anyway as a follow-up…</source>
        <translation>Toch &amp;versturen als aanvulling…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/answer_conflict.py" line="54"/>
        <source>Send anyway</source>
        <translation>Toch versturen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/answer_conflict.py" line="55"/>
        <source>The patient will receive your answer in addition to what was done meanwhile. Send it anyway?</source>
        <translation>De patiënt krijgt uw antwoord naast wat er intussen is gedaan. Toch versturen?</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/answer_conflict.py" line="70"/>
        <source>%1 is answering this e-consult right now.</source>
        <translation>%1 is dit e-consult nu aan het beantwoorden.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/answer_conflict.py" line="74"/>
        <source>This e-consult is assigned to %1.</source>
        <translation>Dit e-consult is toegewezen aan %1.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/answer_conflict.py" line="78"/>
        <source>Write an answer yourself anyway?</source>
        <translation>Toch zelf een antwoord schrijven?</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../workbench/ui/app.py" line="168"/>
        <source>Something went wrong; the details are in the log file.</source>
        <translation>Er ging iets mis; de details staan in het logbestand.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/app.py" line="396"/>
        <source>Fetching the inbox from the portal…</source>
        <translation>Inbox wordt opgehaald van het portaal…</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <location filename="../../workbench/ui/assign_dialog.py" line="30"/>
        <location filename="../../workbench/ui/assign_dialog.py" line="45"/>
        <source>Assign</source>
        <translation>Toewijzen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/assign_dialog.py" line="33"/>
        <source>Assign to</source>
        <translation>Toewijzen aan</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/assign_dialog.py" line="39"/>
        <source>&amp;To:</source>
        <translation>&amp;Aan:</translation>
    </message>
</context>
<context>
    <name>AttachmentChips</name>
    <message>
        <location filename="../../workbench/ui/attachment_chips.py" line="41"/>
        <location filename="../../workbench/ui/attachment_chips.py" line="42"/>
        <source>Remove {title}</source>
        <translation>{title} verwijderen</translation>
    </message>
</context>
<context>
    <name>AttachmentStrip</name>
    <message>
        <location filename="../../workbench/ui/attachment_strip.py" line="102"/>
        <source>Attachment: {title}</source>
        <translation>Bijlage: {title}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attachment_strip.py" line="105"/>
        <source>Photo refused: {code}</source>
        <translation>Foto geweigerd: {code}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attachment_strip.py" line="107"/>
        <source>Photo not yet received</source>
        <translation>Foto nog niet ontvangen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attachment_strip.py" line="144"/>
        <source>Loading photo…</source>
        <translation>Foto laden…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attachment_strip.py" line="147"/>
        <source>Photo</source>
        <translation>Foto</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/attachment_strip.py" line="164"/>
        <location filename="../../workbench/ui/attachment_strip.py" line="178"/>
        <source>Photo cannot be shown</source>
        <translation>Foto kan niet worden getoond</translation>
    </message>
</context>
<context>
    <name>AuditWarning</name>
    <message>
        <location filename="../../workbench/ui/audit_warning.py" line="43"/>
        <source>Audit event %1 has been changed, or was written without the practice&apos;s audit key.</source>
        <translation>Auditgebeurtenis %1 is gewijzigd, of geschreven zonder de auditsleutel van de praktijk.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/audit_warning.py" line="45"/>
        <source>Audit events have been deleted just before event %1.</source>
        <translation>Er zijn auditgebeurtenissen verwijderd vlak vóór gebeurtenis %1.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/audit_warning.py" line="47"/>
        <source>Audit event %1 was added without the practice&apos;s audit key.</source>
        <translation>Auditgebeurtenis %1 is toegevoegd zonder de auditsleutel van de praktijk.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/audit_warning.py" line="49"/>
        <source>This workstation&apos;s record of the audit trail (audit-anchor.json) cannot be read.</source>
        <translation>De vastlegging van het auditlogboek op deze werkplek (audit-anchor.json) kan niet worden gelezen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/audit_warning.py" line="52"/>
        <source>Audit events have been removed from the end of the audit trail, or added without the practice&apos;s audit key.</source>
        <translation>Er zijn auditgebeurtenissen van het eind van het auditlogboek verwijderd, of toegevoegd zonder de auditsleutel van de praktijk.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/audit_warning.py" line="60"/>
        <source>The audit trail is not intact</source>
        <translation>Het auditlogboek is niet intact</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/audit_warning.py" line="62"/>
        <source>The record of who saw and did what can no longer be relied on. Ask IT to run “workbench audit verify” and to find out what happened.</source>
        <translation>Op de vastlegging van wie wat heeft ingezien en gedaan kan niet meer worden vertrouwd. Vraag IT om “workbench audit verify” uit te voeren en uit te zoeken wat er is gebeurd.</translation>
    </message>
</context>
<context>
    <name>BillingTimer</name>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="270"/>
        <source>Direct time</source>
        <translation>Directe tijd</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="271"/>
        <location filename="../../workbench/ui/billing_timer.py" line="492"/>
        <location filename="../../workbench/ui/billing_timer.py" line="520"/>
        <source>Pause</source>
        <translation>Pauze</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="273"/>
        <source>Correct…</source>
        <translation>Corrigeren…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="279"/>
        <source>Declare…</source>
        <translation>Declareren…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="280"/>
        <source>Declare this item&apos;s time by hand, with a reason</source>
        <translation>De tijd van dit item met de hand declareren, met een reden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="491"/>
        <source>Time: no e-consult open</source>
        <translation>Tijd: geen e-consult open</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="501"/>
        <source>Time: {time} (running)</source>
        <translation>Tijd: {time} (loopt)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="503"/>
        <source>Time: {time} (paused: no activity)</source>
        <translation>Tijd: {time} (Gepauzeerd: geen activiteit)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="505"/>
        <source>Time: {time} (closed)</source>
        <translation>Tijd: {time} (afgerond)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="507"/>
        <source>Time: {time} (paused)</source>
        <translation>Tijd: {time} (gepauzeerd)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="510"/>
        <source>Closed and declared: reopen it to count on.</source>
        <translation>Afgerond en gedeclareerd: heropen het om verder te tellen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="511"/>
        <source>Paused while a dialog is open.</source>
        <translation>Gepauzeerd zolang een venster open is.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="512"/>
        <source>Paused while another window counts the time.</source>
        <translation>Gepauzeerd zolang een ander venster de tijd telt.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="514"/>
        <source>Paused by hand: Resume counts on.</source>
        <translation>Met de hand gepauzeerd: Hervatten telt verder.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="515"/>
        <source>Paused while you work in another program.</source>
        <translation>Gepauzeerd zolang u in een ander programma werkt.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="516"/>
        <source>Paused: no keyboard or mouse use for a while.</source>
        <translation>Gepauzeerd: een tijd geen toetsenbord of muis gebruikt.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="519"/>
        <source>Resume</source>
        <translation>Hervatten</translation>
    </message>
</context>
<context>
    <name>CallOutcome</name>
    <message>
        <location filename="../../workbench/ui/call_outcome_dialog.py" line="26"/>
        <source>Called: handled</source>
        <translation>Gebeld: afgehandeld</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/call_outcome_dialog.py" line="27"/>
        <source>Called: coming to the surgery</source>
        <translation>Gebeld: komt naar spreekuur</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/call_outcome_dialog.py" line="29"/>
        <source>GP informed</source>
        <translation>Huisarts ingelicht</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/call_outcome_dialog.py" line="30"/>
        <source>Not reached</source>
        <translation>Niet bereikt</translation>
    </message>
</context>
<context>
    <name>CallOutcomeDialog</name>
    <message>
        <location filename="../../workbench/ui/call_outcome_dialog.py" line="47"/>
        <source>Record call</source>
        <translation>Gesprek vastleggen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/call_outcome_dialog.py" line="50"/>
        <source>How did the call end?</source>
        <translation>Hoe is het gesprek afgelopen?</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/call_outcome_dialog.py" line="52"/>
        <source>Number to call: {phone}</source>
        <translation>Te bellen nummer: {phone}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/call_outcome_dialog.py" line="67"/>
        <source>Note for the doctor (optional)</source>
        <translation>Notitie voor de huisarts (niet verplicht)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/call_outcome_dialog.py" line="68"/>
        <source>Note about the call</source>
        <translation>Notitie bij het gesprek</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/call_outcome_dialog.py" line="70"/>
        <source>Close the e-consult</source>
        <translation>E-consult afronden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/call_outcome_dialog.py" line="80"/>
        <source>Record</source>
        <translation>Vastleggen</translation>
    </message>
</context>
<context>
    <name>ChangeText</name>
    <message>
        <location filename="../../workbench/ui/change_text.py" line="18"/>
        <source>{date} at {time}</source>
        <translation>{date} om {time}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/change_text.py" line="25"/>
        <source>Someone else changed this e-consult meanwhile.</source>
        <translation>Iemand anders heeft dit e-consult intussen gewijzigd.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/change_text.py" line="29"/>
        <source>The patient wrote again at %1.</source>
        <translation>De patiënt heeft om %1 opnieuw geschreven.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/change_text.py" line="32"/>
        <source>%1 answered at %2.</source>
        <translation>%1 heeft om %2 geantwoord.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/change_text.py" line="33"/>
        <source>%1 routed this e-consult at %2.</source>
        <translation>%1 heeft dit e-consult om %2 doorgezet.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/change_text.py" line="35"/>
        <source>%1 sent this e-consult back to the assistants at %2.</source>
        <translation>%1 heeft dit e-consult om %2 teruggestuurd naar de assistenten.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/change_text.py" line="37"/>
        <source>%1 invited the patient to the surgery at %2.</source>
        <translation>%1 heeft de patiënt om %2 uitgenodigd op het spreekuur.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/change_text.py" line="39"/>
        <source>%1 completed this e-consult at %2.</source>
        <translation>%1 heeft dit e-consult om %2 afgerond.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/change_text.py" line="41"/>
        <source>%1 changed the urgency at %2.</source>
        <translation>%1 heeft om %2 de urgentie aangepast.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/change_text.py" line="43"/>
        <source>%1 recorded a call at %2.</source>
        <translation>%1 heeft om %2 een belresultaat vastgelegd.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/change_text.py" line="45"/>
        <source>%1 assigned this e-consult at %2.</source>
        <translation>%1 heeft dit e-consult om %2 toegewezen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/change_text.py" line="47"/>
        <source>%1 undid an action at %2.</source>
        <translation>%1 heeft om %2 een actie ongedaan gemaakt.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/change_text.py" line="50"/>
        <source>%1 changed this e-consult at %2.</source>
        <translation>%1 heeft dit e-consult om %2 gewijzigd.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/change_text.py" line="52"/>
        <source>Someone else</source>
        <translation>Iemand anders</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/change_text.py" line="58"/>
        <source>Your action was not carried out. The e-consult now shows how it is; decide again.</source>
        <translation>Uw actie is niet uitgevoerd. Het e-consult toont nu hoe het er nu voor staat; beslis opnieuw.</translation>
    </message>
</context>
<context>
    <name>ChannelIcon</name>
    <message>
        <location filename="../../workbench/ui/channel_icon.py" line="19"/>
        <source>Secure mail</source>
        <translation>Beveiligde e-mail</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/channel_icon.py" line="20"/>
        <source>Portal</source>
        <translation>Portaal</translation>
    </message>
</context>
<context>
    <name>CloseDialog</name>
    <message>
        <location filename="../../workbench/ui/close_dialog.py" line="29"/>
        <location filename="../../workbench/ui/close_dialog.py" line="56"/>
        <source>Close e-consult</source>
        <translation>E-consult afronden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/close_dialog.py" line="31"/>
        <source>Why is this e-consult closed?</source>
        <translation>Waarom wordt dit e-consult afgerond?</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/close_dialog.py" line="44"/>
        <source>Note</source>
        <translation>Notitie</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/close_dialog.py" line="45"/>
        <source>Note (optional)</source>
        <translation>Notitie (niet verplicht)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/close_dialog.py" line="46"/>
        <source>&amp;Note</source>
        <translation>&amp;Notitie</translation>
    </message>
</context>
<context>
    <name>ConsultPane</name>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="62"/>
        <source>Route to worklist…</source>
        <translation>Naar werklijst…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="68"/>
        <source>Assign to me</source>
        <translation>Aan mij toewijzen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="70"/>
        <source>Assign to…</source>
        <translation>Toewijzen aan…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="72"/>
        <source>Close…</source>
        <translation>Afronden…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="74"/>
        <source>Record call…</source>
        <translation>Gesprek vastleggen…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="76"/>
        <source>Copy to HIS…</source>
        <translation>Kopieer naar HIS…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="115"/>
        <location filename="../../workbench/ui/consult_pane.py" line="337"/>
        <source>Select an e-consult</source>
        <translation>Kies een e-consult</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="145"/>
        <source>Subject</source>
        <translation>Onderwerp</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="157"/>
        <location filename="../../workbench/ui/consult_pane.py" line="272"/>
        <source>Phone numbers</source>
        <translation>Telefoonnummers</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="161"/>
        <source>Invited to the surgery</source>
        <translation>Uitgenodigd voor spreekuur</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="170"/>
        <source>Data problems</source>
        <translation>Problemen met de gegevens</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="188"/>
        <source>Note for the doctor</source>
        <translation>Notitie voor de arts</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="257"/>
        <source>Urgency warning</source>
        <translation>Spoedwaarschuwing</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="282"/>
        <source>Copy number</source>
        <translation>Kopieer nummer</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="283"/>
        <source>Copy the number to call to the clipboard</source>
        <translation>Kopieer het te bellen nummer naar het klembord</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="285"/>
        <source>Mark urgent</source>
        <translation>Markeer als spoed</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="286"/>
        <source>Confirm the advice: flag this e-consult urgent</source>
        <translation>Bevestig het advies: markeer dit e-consult als spoed</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="287"/>
        <source>Not urgent</source>
        <translation>Geen spoed</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="288"/>
        <source>Dismiss the advice, with a reason</source>
        <translation>Wijs het advies af, met een reden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="338"/>
        <location filename="../../workbench/ui/consult_pane.py" line="347"/>
        <source>This e-consult no longer exists</source>
        <translation>Dit e-consult bestaat niet meer</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="105"/>
        <source>Routed to the worklist of %1</source>
        <translation>Doorgezet naar de werklijst van %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="113"/>
        <source>Assigned to %1</source>
        <translation>Toegewezen aan %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="138"/>
        <source>Sent back to the assistants</source>
        <translation>Teruggestuurd naar de assistenten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="148"/>
        <source>Invited to the surgery; the message goes to the patient</source>
        <translation>Uitgenodigd voor het spreekuur; het bericht gaat naar de patiënt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="160"/>
        <source>Completed: %1</source>
        <translation>Afgerond: %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="207"/>
        <source>Urgency advice cleared</source>
        <translation>Spoedadvies opzijgezet</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="257"/>
        <source>Call recorded: %1</source>
        <translation>Gesprek vastgelegd: %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="381"/>
        <source>Call</source>
        <translation>Gesprek</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="400"/>
        <source>Not reached at {time}. Call again at {retry}.</source>
        <translation>Niet bereikt om {time}. Opnieuw bellen om {retry}.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="403"/>
        <source>Call recorded at {time}: {outcome}.</source>
        <translation>Gesprek vastgelegd om {time}: {outcome}.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="408"/>
        <source>Answer sent. This urgent e-consult stays open until you record how the call went (Ctrl+G).</source>
        <translation>Antwoord verstuurd. Dit spoedeisende e-consult blijft open tot u vastlegt hoe het gesprek is gegaan (Ctrl+G).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="410"/>
        <source>Urgent: call the patient, then record how the call went (Ctrl+G). It cannot be closed before that.</source>
        <translation>Spoed: bel de patiënt en leg daarna vast hoe het gesprek is gegaan (Ctrl+G). Eerder kan het niet worden afgerond.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="432"/>
        <source>(no subject)</source>
        <translation>(geen onderwerp)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="447"/>
        <source>Sent by {sender} ({relation}) on behalf of {patient}</source>
        <translation>Verstuurd door {sender} ({relation}) namens {patient}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="451"/>
        <source>Sent by {sender} on behalf of {patient}</source>
        <translation>Verstuurd door {sender} namens {patient}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="454"/>
        <source>Status: {status}</source>
        <translation>Status: {status}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="456"/>
        <source>Assigned to {name}</source>
        <translation>Toegewezen aan {name}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="459"/>
        <source>By secure mail from {address}</source>
        <translation>Per beveiligde e-mail van {address}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="461"/>
        <source>By secure mail from {address}, an address not verified for this patient: an answer cannot go there</source>
        <translation>Per beveiligde e-mail van {address}, een adres dat niet voor deze patiënt is gecontroleerd: een antwoord kan daar niet heen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="469"/>
        <source>Closed as: {reason}</source>
        <translation>Afgerond als: {reason}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="501"/>
        <location filename="../../workbench/ui/consult_pane.py" line="507"/>
        <source>born {date}</source>
        <translation>geboren {date}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="509"/>
        <source>BSN {bsn}</source>
        <translation>BSN {bsn}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="511"/>
        <source>{bsn} (invalid)</source>
        <translation>{bsn} (ongeldig)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="541"/>
        <source>No phone number known: see the HIS</source>
        <translation>geen telefoonnummer bekend: zie het HIS</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="542"/>
        <source>Call {number} ({who})</source>
        <translation>Bel {number} ({who})</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="543"/>
        <source>Phone {number} ({who})</source>
        <translation>Tel. {number} ({who})</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="546"/>
        <source>{who}: no phone number known</source>
        <translation>{who}: geen telefoonnummer bekend</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="555"/>
        <location filename="../../workbench/ui/triage_actions.py" line="206"/>
        <source>Marked urgent</source>
        <translation>Gemarkeerd als spoed</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="64"/>
        <source>Send back to assistants…</source>
        <translation>Terugsturen naar assistenten…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="66"/>
        <source>Invite to the surgery…</source>
        <translation>Uitnodigen voor spreekuur…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="557"/>
        <source>Possible emergency: {action}</source>
        <translation>Mogelijk spoed: {action}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="559"/>
        <source>Possible emergency: call the patient</source>
        <translation>Mogelijk spoed: bel de patiënt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="569"/>
        <source>{action} · {label}: “{words}”</source>
        <translation>{action} · {label}: “{words}”</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="572"/>
        <source>{action} · {label}</source>
        <translation>{action} · {label}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="615"/>
        <source>This e-consult cannot be shown: viewing it cannot be recorded.</source>
        <translation>Dit e-consult kan niet worden getoond: het inzien kan niet worden vastgelegd.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/consult_pane.py" line="626"/>
        <source>Answer sent (a sent answer cannot be undone)</source>
        <translation>Antwoord verstuurd (een verstuurd antwoord kan niet ongedaan worden gemaakt)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="375"/>
        <source>This e-consult no longer exists. It may have been removed from the portal.</source>
        <translation>Dit e-consult bestaat niet meer. Het is mogelijk van het portaal verwijderd.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="377"/>
        <source>An e-consult can only be routed to a GP or a practice nurse. Choose someone else.</source>
        <translation>Een e-consult kan alleen naar een huisarts of praktijkondersteuner. Kies iemand anders.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="379"/>
        <source>Your name is not (or no longer) among the practice&apos;s staff. Choose who is working again, or ask IT.</source>
        <translation>Uw naam staat niet (meer) bij de medewerkers van de praktijk. Kies opnieuw wie er werkt, of vraag het IT.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="382"/>
        <source>This e-consult is already closed.</source>
        <translation>Dit e-consult is al afgerond.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="383"/>
        <source>An e-consult can only be assigned to a colleague who triages or answers e-consults.</source>
        <translation>Een e-consult kan alleen worden toegewezen aan een collega die e-consulten triageert of beantwoordt.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="385"/>
        <source>Your role does not allow this; ask a colleague whose role does.</source>
        <translation>Uw rol staat dit niet toe; vraag het een collega met die rol.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="387"/>
        <source>This e-consult is urgent: it cannot be closed before the patient has been called. Record how the call went first (Ctrl+G). Not urgent after all? Choose “Not urgent” first.</source>
        <translation>Dit e-consult is spoedeisend: het kan pas worden afgerond als de patiënt is gebeld. Leg eerst vast hoe het gesprek is gegaan (Ctrl+G). Toch geen spoed? Kies dan eerst “Geen spoed”.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="393"/>
        <source>This action could not be done.</source>
        <translation>Deze handeling kon niet worden uitgevoerd.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/triage_actions.py" line="400"/>
        <source>Workbench</source>
        <translation>Workbench</translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="180"/>
        <source>Correct time</source>
        <translation>Tijd corrigeren</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="182"/>
        <source>Add or remove minutes of direct time on this e-consult. The measured time stays as it was.</source>
        <translation>Tel minuten directe tijd bij dit e-consult op of af. De gemeten tijd blijft zoals hij was.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="187"/>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="188"/>
        <source>Minutes</source>
        <translation>Minuten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="191"/>
        <source>Required: why the measured time is wrong</source>
        <translation>Verplicht: waarom de gemeten tijd niet klopt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="192"/>
        <source>Reason</source>
        <translation>Reden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="193"/>
        <source>&amp;Minutes (+/-):</source>
        <translation>&amp;Minuten (+/-):</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="195"/>
        <source>&amp;Reason:</source>
        <translation>&amp;Reden:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/billing_timer.py" line="205"/>
        <source>Correct</source>
        <translation>Corrigeren</translation>
    </message>
</context>
<context>
    <name>DeclarationsView</name>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="121"/>
        <source>Declarations</source>
        <translation>Declaraties</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="131"/>
        <source>&amp;From:</source>
        <translation>&amp;Van:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="133"/>
        <source>&amp;To:</source>
        <translation>&amp;Tot en met:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="135"/>
        <source>Export CSV…</source>
        <translation>CSV exporteren…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="151"/>
        <source>Day</source>
        <translation>Dag</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="151"/>
        <source>Person</source>
        <translation>Medewerker</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="151"/>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="151"/>
        <source>Count</source>
        <translation>Aantal</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="152"/>
        <source>Time</source>
        <translation>Tijd</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="152"/>
        <source>Amount</source>
        <translation>Bedrag</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="173"/>
        <source>Direct time per day:</source>
        <translation>Directe tijd per dag:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="195"/>
        <source>The period ends before it starts.</source>
        <translation>De periode eindigt voordat hij begint.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="200"/>
        <source>Loading…</source>
        <translation>Laden…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="237"/>
        <source>Export declarations</source>
        <translation>Declaraties exporteren</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="238"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV-bestanden (*.csv)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="254"/>
        <source>Exported to {file}</source>
        <translation>Geëxporteerd naar {file}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="279"/>
        <source>Total: {count} declared, {time} direct time, {amount}</source>
        <translation>Totaal: {count} gedeclareerd, {time} directe tijd, {amount}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="284"/>
        <source>Declarations of {day_year}: amounts of {year}; to be confirmed.</source>
        <translation>Declaraties van {day_year}: bedragen van {year}; nog te bevestigen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="289"/>
        <source>Nothing declared in this period.</source>
        <translation>Niets gedeclareerd in deze periode.</translation>
    </message>
</context>
<context>
    <name>DeclareDialog</name>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="52"/>
        <source>Declare consult</source>
        <translation>Consult declareren</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="55"/>
        <source>No declaration was proposed for this item. Declaring it by hand needs a reason.</source>
        <translation>Voor dit item is geen declaratie voorgesteld. Met de hand declareren vraagt een reden.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="72"/>
        <source>{name}, {day}</source>
        <translation>{name}, {day}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="77"/>
        <source>Patient-day:</source>
        <translation>Patiënt-dag:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="83"/>
        <source>practice-started message</source>
        <translation>bericht van de praktijk</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="84"/>
        <source>E-consult:</source>
        <translation>E-consult:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="85"/>
        <source>Direct time:</source>
        <translation>Directe tijd:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="86"/>
        <source>{time} (minutes:seconds)</source>
        <translation>{time} (minuten:seconden)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="87"/>
        <source>Proposed:</source>
        <translation>Voorstel:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="91"/>
        <source>Code to declare</source>
        <translation>Te declareren code</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="100"/>
        <source>&amp;Declare as:</source>
        <translation>&amp;Declareren als:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="107"/>
        <source>Required: why this is declared by hand</source>
        <translation>Verplicht: waarom dit met de hand gedeclareerd wordt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="108"/>
        <source>Required when declaring another code</source>
        <translation>Verplicht bij een andere code</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="109"/>
        <source>Reason for another code</source>
        <translation>Reden voor een andere code</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="110"/>
        <source>&amp;Reason:</source>
        <translation>&amp;Reden:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="115"/>
        <location filename="../../workbench/ui/declare_dialog.py" line="190"/>
        <source>Another code than proposed needs a reason.</source>
        <translation>Een andere code dan voorgesteld vraagt om een reden.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="124"/>
        <source>Declare</source>
        <translation>Declareren</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="137"/>
        <source>Amounts of {year}; to be confirmed.</source>
        <translation>Bedragen van {year}; nog te bevestigen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="139"/>
        <source>There is no tariff file for {year}.</source>
        <translation>Er is geen tarievenbestand voor {year}.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="141"/>
        <source>The amounts of {year} are placeholders.</source>
        <translation>De bedragen van {year} zijn voorlopig.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="142"/>
        <source>The practice manager loads the NZa tariffs under Admin &gt; Tariffs.</source>
        <translation>De praktijkmanager laadt de NZa-tarieven via Beheer &gt; Tarieven.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="189"/>
        <source>Declaring by hand needs a reason.</source>
        <translation>Met de hand declareren vraagt een reden.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_dialog.py" line="195"/>
        <source>{code} {description} ({amount})</source>
        <translation>{code} {description} ({amount})</translation>
    </message>
</context>
<context>
    <name>DeclareFlow</name>
    <message>
        <location filename="../../workbench/ui/declare_flow.py" line="76"/>
        <location filename="../../workbench/ui/declare_flow.py" line="109"/>
        <source>Declaration</source>
        <translation>Declaratie</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_flow.py" line="77"/>
        <source>There is no undeclared time on this item.</source>
        <translation>Er is geen ongedeclareerde tijd op dit item.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declare_flow.py" line="110"/>
        <source>This time has already been declared.</source>
        <translation>Deze tijd is al gedeclareerd.</translation>
    </message>
</context>
<context>
    <name>DismissAdviceDialog</name>
    <message>
        <location filename="../../workbench/ui/urgency_dialog.py" line="16"/>
        <location filename="../../workbench/ui/urgency_dialog.py" line="18"/>
        <source>Not urgent</source>
        <translation>Geen spoed</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/urgency_dialog.py" line="17"/>
        <source>Why is this not urgent? For example: called the patient, no alarm signs; the words mean something else here.</source>
        <translation>Waarom is dit geen spoed? Bijvoorbeeld: patiënt gebeld, geen alarmsignalen; de woorden betekenen hier iets anders.</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../workbench/ui/errors.py" line="13"/>
        <source>Workbench is not set up completely; ask IT to check the configuration.</source>
        <translation>Workbench is niet volledig ingesteld; vraag IT de instellingen na te kijken.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="15"/>
        <source>The portal address is not secure (https is required); ask IT.</source>
        <translation>Het adres van het portaal is niet beveiligd (https is verplicht); vraag het IT.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="17"/>
        <source>The portal&apos;s certificate is not trusted; ask IT.</source>
        <translation>Het certificaat van het portaal wordt niet vertrouwd; vraag het IT.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="18"/>
        <source>The portal refused this workstation&apos;s login; ask IT.</source>
        <translation>Het portaal weigert de aanmelding van deze werkplek; vraag het IT.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="19"/>
        <source>The portal cannot be reached; Workbench tries again later.</source>
        <translation>Het portaal is niet bereikbaar; Workbench probeert het later opnieuw.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="21"/>
        <source>The portal gave an unreadable answer; Workbench tries again later.</source>
        <translation>Het portaal gaf een onleesbaar antwoord; Workbench probeert het later opnieuw.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="23"/>
        <source>The portal reported a problem; Workbench tries again later.</source>
        <translation>Het portaal meldde een probleem; Workbench probeert het later opnieuw.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="25"/>
        <source>This computer has no keyring to keep the portal login in; ask IT.</source>
        <translation>Deze computer heeft geen sleutelbos om de inloggegevens voor het portaal in te bewaren; vraag IT.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="27"/>
        <source>This workstation cannot record who sees what (no audit key); ask IT.</source>
        <translation>Deze werkplek kan niet vastleggen wie wat inziet (geen auditsleutel); vraag IT.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="29"/>
        <source>The database belongs to a newer version of Workbench; ask IT to install that version here.</source>
        <translation>De database hoort bij een nieuwere versie van Workbench; vraag IT die versie hier te installeren.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="31"/>
        <source>The database needs an upgrade; ask IT.</source>
        <translation>De database moet worden bijgewerkt; vraag het IT.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="32"/>
        <source>The database cannot be reached; ask IT.</source>
        <translation>De database is niet bereikbaar; vraag het IT.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="33"/>
        <source>The database reported a problem; ask IT.</source>
        <translation>De database meldde een probleem; vraag het IT.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/errors.py" line="34"/>
        <source>Something unexpected went wrong; the details are in the log.</source>
        <translation>Er ging iets onverwachts mis; de details staan in het logbestand.</translation>
    </message>
</context>
<context>
    <name>FileDialog</name>
    <message>
        <location filename="../../workbench/ui/file_dialogs.py" line="16"/>
        <source>Look in:</source>
        <translation>Zoeken in:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/file_dialogs.py" line="17"/>
        <source>File name:</source>
        <translation>Bestandsnaam:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/file_dialogs.py" line="18"/>
        <source>Files of type:</source>
        <translation>Bestandstype:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/file_dialogs.py" line="19"/>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/file_dialogs.py" line="29"/>
        <source>Save</source>
        <translation>Opslaan</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/file_dialogs.py" line="30"/>
        <source>Open</source>
        <translation>Openen</translation>
    </message>
</context>
<context>
    <name>HandledDialog</name>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="72"/>
        <location filename="../../workbench/ui/quarantine_view.py" line="74"/>
        <source>Mark as handled</source>
        <translation>Markeren als afgehandeld</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="73"/>
        <source>It will no longer be tried again or listed. How was it dealt with? For example: patient called, asked to send it again.</source>
        <translation>Het wordt niet meer opnieuw geprobeerd en niet meer getoond. Hoe is het afgehandeld? Bijvoorbeeld: patiënt gebeld, gevraagd het opnieuw te sturen.</translation>
    </message>
</context>
<context>
    <name>IcpcPicker</name>
    <message>
        <location filename="../../workbench/ui/template_picker.py" line="260"/>
        <source>Suggestion from the question: {code} {title} (not chosen: pick it with the arrow keys, or search)</source>
        <translation>Suggestie uit de vraag: {code} {title} (niet gekozen: kies hem met de pijltjestoetsen, of zoek)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_picker.py" line="264"/>
        <source>ICPC code for the journal</source>
        <translation>ICPC-code voor het journaal</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_picker.py" line="265"/>
        <source>Search by code or title</source>
        <translation>Zoek op code of omschrijving</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_picker.py" line="266"/>
        <source>No code found</source>
        <translation>Geen code gevonden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_picker.py" line="267"/>
        <source>Search ICPC codes</source>
        <translation>ICPC-codes zoeken</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_picker.py" line="268"/>
        <source>ICPC codes</source>
        <translation>ICPC-codes</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_picker.py" line="271"/>
        <source>Under which episode does this go in the journal?</source>
        <translation>Onder welke episode komt dit in het journaal?</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_picker.py" line="286"/>
        <source>Suggestion</source>
        <translation>Suggestie</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_picker.py" line="287"/>
        <source>All codes</source>
        <translation>Alle codes</translation>
    </message>
</context>
<context>
    <name>InboxModel</name>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="354"/>
        <source>Urgent or possible emergency</source>
        <translation>Spoed of mogelijk spoed</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="356"/>
        <source>Came by the portal or by secure mail</source>
        <translation>Binnengekomen via het portaal of via beveiligde e-mail</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="361"/>
        <source>!</source>
        <translation>!</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="363"/>
        <source>Received</source>
        <translation>Ontvangen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="364"/>
        <source>Waiting</source>
        <translation>Wachttijd</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="365"/>
        <source>Patient</source>
        <translation>Patiënt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="366"/>
        <source>Via</source>
        <translation>Via</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="367"/>
        <source>Subject</source>
        <translation>Onderwerp</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="368"/>
        <source>Photos</source>
        <translation>Foto&apos;s</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="369"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="370"/>
        <source>Assigned to</source>
        <translation>Toegewezen aan</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="371"/>
        <source>List</source>
        <translation>Lijst</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="455"/>
        <source>{name} ({age})</source>
        <translation>{name} ({age})</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="465"/>
        <source>{status} – invited</source>
        <translation>{status} – uitgenodigd</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="486"/>
        <source>Worklist: {name}</source>
        <translation>Werklijst: {name}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="494"/>
        <source>{days} d {hours} h</source>
        <translation>{days} d {hours} u</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="496"/>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} u {minutes} min</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="497"/>
        <source>{minutes} min</source>
        <translation>{minutes} min</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="502"/>
        <source>Urgent</source>
        <translation>Spoed</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="504"/>
        <source>Possible emergency: alarm words in the text</source>
        <translation>Mogelijk spoed: alarmwoorden in de tekst</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="507"/>
        <source>Answer target: {days} working days</source>
        <translation>Antwoordtermijn: {days} werkdagen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="511"/>
        <source>{target}. Past the target.</source>
        <translation>{target}. Termijn verstreken.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_model.py" line="513"/>
        <source>{target}. Almost at the target.</source>
        <translation>{target}. Termijn bijna verstreken.</translation>
    </message>
</context>
<context>
    <name>InboxView</name>
    <message>
        <location filename="../../workbench/ui/inbox_view.py" line="65"/>
        <source>Search all lists: message or patient…</source>
        <translation>Zoeken in alle lijsten: bericht of patiënt…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_view.py" line="67"/>
        <source>Search messages</source>
        <translation>Zoeken in berichten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_view.py" line="76"/>
        <source>E-consults</source>
        <translation>E-consulten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_view.py" line="251"/>
        <source>No results</source>
        <translation>Geen resultaten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/inbox_view.py" line="252"/>
        <source>No e-consults in this list</source>
        <translation>Geen e-consulten in deze lijst</translation>
    </message>
</context>
<context>
    <name>InviteDialog</name>
    <message>
        <location filename="../../workbench/ui/message_dialogs.py" line="85"/>
        <source>Invite to the surgery</source>
        <translation>Uitnodigen voor spreekuur</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/message_dialogs.py" line="86"/>
        <source>The patient gets this message and is asked to make an appointment. The e-consult waits in “Waiting” until then.</source>
        <translation>De patiënt krijgt dit bericht en wordt gevraagd een afspraak te maken. Het e-consult wacht tot dan in “Wacht op patiënt”.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/message_dialogs.py" line="88"/>
        <source>Invite and send</source>
        <translation>Uitnodigen en versturen</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../workbench/ui/labels.py" line="17"/>
        <source>Inbox</source>
        <translation>Inbox</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="18"/>
        <source>Worklist</source>
        <translation>Werklijst</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="19"/>
        <source>Waiting for patient</source>
        <translation>Wacht op patiënt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="20"/>
        <source>Closed</source>
        <translation>Afgehandeld</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="28"/>
        <source>GP</source>
        <translation>huisarts</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="29"/>
        <source>POH</source>
        <translation>POH</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="30"/>
        <source>doctor&apos;s assistant</source>
        <translation>doktersassistent</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="31"/>
        <source>practice manager</source>
        <translation>praktijkmanager</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="32"/>
        <source>staff</source>
        <translation>medewerker</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="39"/>
        <source>{name} ({role})</source>
        <translation>{name} ({role})</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="44"/>
        <source>Normal</source>
        <translation>Normaal</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="44"/>
        <source>Urgent</source>
        <translation>Spoed</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="49"/>
        <source>Answered</source>
        <translation>Beantwoord</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="50"/>
        <source>Referred</source>
        <translation>Doorverwezen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="51"/>
        <source>Handled by phone</source>
        <translation>Telefonisch afgehandeld</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="52"/>
        <source>Duplicate</source>
        <translation>Dubbel</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="53"/>
        <source>No action needed</source>
        <translation>Geen actie nodig</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="59"/>
        <source>chest pain</source>
        <translation>pijn op de borst</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="60"/>
        <source>shortness of breath</source>
        <translation>benauwdheid</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="61"/>
        <source>neurological loss</source>
        <translation>neurologische uitval</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="62"/>
        <source>severe bleeding</source>
        <translation>ernstige bloeding</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="63"/>
        <source>suicidal thoughts</source>
        <translation>suïcidale gedachten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="64"/>
        <source>severe pain</source>
        <translation>hevige pijn</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="65"/>
        <source>rapid worsening</source>
        <translation>snelle verslechtering</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="66"/>
        <source>allergic reaction</source>
        <translation>allergische reactie</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="67"/>
        <source>baby under 3 months with fever</source>
        <translation>baby jonger dan 3 maanden met koorts</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="68"/>
        <source>second contact about the same complaint</source>
        <translation>tweede contact over dezelfde klacht</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="77"/>
        <source>Birth date incomplete: birth year {year}</source>
        <translation>Geboortedatum onvolledig: geboortejaar {year}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="80"/>
        <source>Birth date incomplete: born {month}-{year}</source>
        <translation>Geboortedatum onvolledig: geboren {month}-{year}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="84"/>
        <source>Birth date incomplete: {given}</source>
        <translation>Geboortedatum onvolledig: {given}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="86"/>
        <source>Birth date incomplete</source>
        <translation>Geboortedatum onvolledig</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="88"/>
        <source>BSN invalid: do not use it for the HIS</source>
        <translation>BSN ongeldig: niet gebruiken voor het HIS</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="90"/>
        <source>Birth date unreadable: check the age with the patient</source>
        <translation>Geboortedatum onleesbaar: controleer de leeftijd bij de patiënt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="92"/>
        <source>Gender unknown</source>
        <translation>Geslacht onbekend</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="93"/>
        <source>Name shortened</source>
        <translation>Naam ingekort</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="94"/>
        <source>Name missing on the portal</source>
        <translation>Naam ontbreekt in het portaal</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="95"/>
        <source>Text cleaned: unreadable characters removed</source>
        <translation>Tekst opgeschoond: onleesbare tekens verwijderd</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="97"/>
        <source>Subject shortened</source>
        <translation>Onderwerp ingekort</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="98"/>
        <source>Unknown status on the portal</source>
        <translation>Onbekende status in het portaal</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="99"/>
        <source>Send time missing: time of receipt shown</source>
        <translation>Verzendtijd ontbreekt: tijd van ontvangst getoond</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="101"/>
        <source>Part of the message could not be read: check the portal</source>
        <translation>Deel van het bericht onleesbaar: kijk in het portaal</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="103"/>
        <source>Message refers to itself: thread may be incomplete</source>
        <translation>Bericht verwijst naar zichzelf: gesprek is mogelijk onvolledig</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="105"/>
        <source>Attachment refused</source>
        <translation>Bijlage geweigerd</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="106"/>
        <source>Send time lies in the future</source>
        <translation>Verzendtijd ligt in de toekomst</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="108"/>
        <source>This mail also went to others: mind what you answer</source>
        <translation>Deze e-mail ging ook naar anderen: let op wat u antwoordt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="110"/>
        <source>Sent as HTML only: shown as plain text</source>
        <translation>Alleen als HTML verstuurd: als platte tekst getoond</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="112"/>
        <source>Mail text too long: shortened</source>
        <translation>Tekst van de e-mail te lang: ingekort</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="114"/>
        <source>A part of the mail was too large and was left out</source>
        <translation>Een deel van de e-mail was te groot en is weggelaten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="116"/>
        <source>The mail had too many parts: some were left out</source>
        <translation>De e-mail had te veel delen: een deel is weggelaten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="118"/>
        <source>Mail nested too deep: parts were left out</source>
        <translation>E-mail te diep genest: delen zijn weggelaten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="120"/>
        <source>Too many attachments: some were left out</source>
        <translation>Te veel bijlagen: een deel is weggelaten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="122"/>
        <source>The attachments together were too large: some were left out</source>
        <translation>De bijlagen samen waren te groot: een deel is weggelaten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="124"/>
        <source>A part of the mail could not be decoded and was left out</source>
        <translation>Een deel van de e-mail kon niet worden gedecodeerd en is weggelaten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="126"/>
        <source>A reply from an address not verified for this patient</source>
        <translation>Een reactie van een adres dat niet voor deze patiënt is gecontroleerd</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="128"/>
        <source>Data problem: {code}</source>
        <translation>Probleem met de gegevens: {code}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="145"/>
        <source>{years} years</source>
        <translation>{years} jaar</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="150"/>
        <source>{months} mo</source>
        <translation>{months} mnd</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="152"/>
        <source>1 month</source>
        <translation>1 maand</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="153"/>
        <source>{months} months</source>
        <translation>{months} maanden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/labels.py" line="185"/>
        <source>Call the patient now</source>
        <translation>Bel de patiënt nu</translation>
    </message>
</context>
<context>
    <name>LinkPatientDialog</name>
    <message>
        <location filename="../../workbench/ui/link_patient_dialog.py" line="50"/>
        <source>Link to patient</source>
        <translation>Aan patiënt koppelen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/link_patient_dialog.py" line="63"/>
        <source>Mail from {sender}. Find the patient who wrote it: by name, birth date or BSN.</source>
        <translation>E-mail van {sender}. Zoek de patiënt die hem schreef: op naam, geboortedatum of BSN.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/link_patient_dialog.py" line="68"/>
        <source>Name, birth date (dd-mm-yyyy) or BSN</source>
        <translation>Naam, geboortedatum (dd-mm-jjjj) of BSN</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/link_patient_dialog.py" line="69"/>
        <source>Find the patient</source>
        <translation>Patiënt zoeken</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/link_patient_dialog.py" line="73"/>
        <source>&amp;Patient:</source>
        <translation>&amp;Patiënt:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/link_patient_dialog.py" line="79"/>
        <source>Patients found</source>
        <translation>Gevonden patiënten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/link_patient_dialog.py" line="91"/>
        <source>From then on, mail from {address} is imported for this patient directly, and answers may go to it. Check it first, for example by phone.</source>
        <translation>Daarna wordt e-mail van {address} meteen bij deze patiënt ingelezen, en mogen antwoorden naar dit adres. Controleer het eerst, bijvoorbeeld telefonisch.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/link_patient_dialog.py" line="99"/>
        <source>&amp;Link and import</source>
        <translation>&amp;Koppelen en inlezen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/link_patient_dialog.py" line="167"/>
        <source>born {date}</source>
        <translation>geboren {date}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/link_patient_dialog.py" line="170"/>
        <source>BSN {bsn}</source>
        <translation>BSN {bsn}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/link_patient_dialog.py" line="178"/>
        <source>{count} found</source>
        <translation>{count} gevonden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/link_patient_dialog.py" line="180"/>
        <source>No patient found</source>
        <translation>Geen patiënt gevonden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/link_patient_dialog.py" line="189"/>
        <source>The patients could not be searched. Try again.</source>
        <translation>Er kon niet in de patiënten worden gezocht. Probeer het opnieuw.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/link_patient_dialog.py" line="202"/>
        <source>I have &amp;checked that this address belongs to the patient chosen above</source>
        <translation>Ik heb &amp;gecontroleerd dat dit adres van de hierboven gekozen patiënt is</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/link_patient_dialog.py" line="206"/>
        <source>I have &amp;checked that this address belongs to {patient}</source>
        <translation>Ik heb &amp;gecontroleerd dat dit adres van {patient} is</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../../workbench/ui/lock_screen.py" line="67"/>
        <source>Workbench is locked</source>
        <translation>Workbench is vergrendeld</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/lock_screen.py" line="72"/>
        <source>Signed in: %1</source>
        <translation>Aangemeld: %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/lock_screen.py" line="77"/>
        <source>PIN or password</source>
        <translation>Pincode of wachtwoord</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/lock_screen.py" line="78"/>
        <source>PIN (4-6 digits) or password</source>
        <translation>Pincode (4-6 cijfers) of wachtwoord</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/lock_screen.py" line="87"/>
        <source>&amp;PIN or password:</source>
        <translation>&amp;Pincode of wachtwoord:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/lock_screen.py" line="89"/>
        <source>&amp;Code:</source>
        <translation>&amp;Code:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/lock_screen.py" line="97"/>
        <source>&amp;Unlock</source>
        <translation>&amp;Ontgrendelen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/lock_screen.py" line="100"/>
        <source>&amp;Other user</source>
        <translation>&amp;Andere gebruiker</translation>
    </message>
</context>
<context>
    <name>MailConfirmBar</name>
    <message>
        <location filename="../../workbench/ui/mail_confirm_bar.py" line="56"/>
        <source>An answer by mail may not have arrived: the connection broke before the mail server confirmed it. Check with the patient.</source>
        <translation>Een antwoord per e-mail is misschien niet aangekomen: de verbinding viel weg voordat de mailserver het bevestigde. Vraag het de patiënt.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/mail_confirm_bar.py" line="42"/>
        <source>It &amp;arrived</source>
        <translation>Is &amp;aangekomen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/mail_confirm_bar.py" line="43"/>
        <source>Record the answer as sent; it is not sent again</source>
        <translation>Het antwoord als verstuurd vastleggen; het gaat niet nog eens</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/mail_confirm_bar.py" line="45"/>
        <source>It did &amp;not arrive: send again</source>
        <translation>Is &amp;niet aangekomen: opnieuw versturen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/mail_confirm_bar.py" line="111"/>
        <source>Not recorded: %1</source>
        <translation>Niet vastgelegd: %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="111"/>
        <source>As practice manager you see no e-consults. The Admin menu has the users and the patients&apos; access reports; View, Declarations has the declarations.</source>
        <translation>Als praktijkmanager ziet u geen e-consulten. In het menu Beheer staan de gebruikers en de inzageverzoeken van patiënten; onder Beeld, Declaraties staan de declaraties.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="124"/>
        <source>Signed in as %1</source>
        <translation>Aangemeld als %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="204"/>
        <source>&amp;File</source>
        <translation>&amp;Bestand</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="205"/>
        <source>&amp;Pull now</source>
        <translation>Nu &amp;ophalen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="208"/>
        <source>&amp;Lock screen</source>
        <translation>Scherm &amp;vergrendelen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="211"/>
        <source>&amp;Switch user…</source>
        <translation>Andere &amp;gebruiker…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="214"/>
        <source>Sign &amp;out</source>
        <translation>&amp;Afmelden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="218"/>
        <location filename="../../workbench/ui/main_window.py" line="547"/>
        <source>&amp;Quit</source>
        <translation>&amp;Afsluiten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="222"/>
        <source>&amp;E-consult</source>
        <translation>&amp;E-consult</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="224"/>
        <source>&amp;Next item</source>
        <translation>&amp;Volgende</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="226"/>
        <source>&amp;Previous item</source>
        <translation>V&amp;orige</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="242"/>
        <source>&amp;New message…</source>
        <translation>&amp;Nieuw bericht…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="248"/>
        <source>&amp;Undo last action</source>
        <translation>Laatste handeling &amp;ongedaan maken</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="252"/>
        <source>&amp;View</source>
        <translation>Beel&amp;d</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="253"/>
        <source>&amp;Search messages</source>
        <translation>&amp;Zoeken in berichten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="256"/>
        <source>Go to &amp;inbox</source>
        <translation>Naar &amp;inbox</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="259"/>
        <source>Go to &amp;not processed</source>
        <translation>Naar &amp;niet verwerkt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="262"/>
        <source>Go to &amp;unknown sender</source>
        <translation>Naar &amp;onbekende afzender</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="266"/>
        <source>&amp;Declarations…</source>
        <translation>&amp;Declaraties…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="270"/>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="271"/>
        <source>Copy &amp;diagnostics</source>
        <translation>&amp;Diagnose kopiëren</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="273"/>
        <source>&amp;About Workbench</source>
        <translation>&amp;Over Workbench</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="324"/>
        <source>Undone</source>
        <translation>Ongedaan gemaakt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="335"/>
        <source>Could not be undone: the e-consult was changed meanwhile.</source>
        <translation>Niet ongedaan gemaakt: het e-consult is intussen gewijzigd.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="337"/>
        <source>Could not be undone: the message has already gone to the patient.</source>
        <translation>Niet ongedaan gemaakt: het bericht is al naar de patiënt verstuurd.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="340"/>
        <source>Could not be undone.</source>
        <translation>Niet ongedaan gemaakt.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="360"/>
        <source>%1 new e-consults</source>
        <translation>%1 nieuwe e-consulten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="371"/>
        <source>Nothing waits in Not processed</source>
        <translation>Er staat niets in Niet verwerkt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="378"/>
        <source>No mail waits in Unknown sender</source>
        <translation>Er wacht geen e-mail in Onbekende afzender</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="426"/>
        <source>Something went wrong</source>
        <translation>Er ging iets mis</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="427"/>
        <source>An unexpected error occurred. Your work is saved; the details are in the log.</source>
        <translation>Er trad een onverwachte fout op. Uw werk is bewaard; de details staan in het logbestand.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="438"/>
        <source>Message sent to the patient (a sent message cannot be undone)</source>
        <translation>Bericht naar de patiënt verstuurd (een verstuurd bericht kan niet ongedaan worden gemaakt)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="489"/>
        <source>Diagnostics copied to the clipboard</source>
        <translation>Diagnose naar het klembord gekopieerd</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="504"/>
        <source>Workbench – %1</source>
        <translation>Workbench – %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="520"/>
        <source>An answer is being written; it is kept as a draft.</source>
        <translation>Er wordt een antwoord geschreven; het blijft bewaard als concept.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="522"/>
        <source>New e-consults are being pulled; the pull stops.</source>
        <translation>Er worden nieuwe e-consulten opgehaald; het ophalen stopt.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="543"/>
        <source>Quit Workbench?</source>
        <translation>Workbench afsluiten?</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="544"/>
        <source>Quit Workbench anyway?</source>
        <translation>Workbench toch afsluiten?</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="548"/>
        <source>&amp;Keep working</source>
        <translation>&amp;Doorwerken</translation>
    </message>
</context>
<context>
    <name>NavigationList</name>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="58"/>
        <source>Lists</source>
        <translation>Lijsten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="66"/>
        <source>Inbox</source>
        <translation>Inbox</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="67"/>
        <source>IN</source>
        <comment>badge of the inbox</comment>
        <translation>IN</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="71"/>
        <source>My worklist</source>
        <translation>Mijn werklijst</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="76"/>
        <source>Worklist: {person}</source>
        <translation>Werklijst: {person}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="80"/>
        <source>Waiting for patient</source>
        <translation>Wacht op patiënt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="81"/>
        <source>W</source>
        <comment>badge of waiting for patient</comment>
        <translation>W</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="82"/>
        <source>Closed</source>
        <translation>Afgehandeld</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="83"/>
        <source>✓</source>
        <comment>badge of closed</comment>
        <translation>✓</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="150"/>
        <source>{label} ({count})</source>
        <translation>{label} ({count})</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="154"/>
        <source>%1 overdue</source>
        <translation>%1 te laat</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="166"/>
        <source>{count} unread</source>
        <translation>{count} ongelezen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="196"/>
        <source>Messages from the portal that Workbench cannot show</source>
        <translation>Berichten uit het portaal die Workbench niet kan tonen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="236"/>
        <source>Unknown sender ({count})</source>
        <translation>Onbekende afzender ({count})</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="240"/>
        <source>Mails waiting for a person: from an unknown address, from an address several patients share, or that could not be read</source>
        <translation>E-mails die op een mens wachten: van een onbekend adres, van een adres dat meer patiënten delen, of die niet gelezen konden worden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/navigation.py" line="192"/>
        <source>Not processed ({count})</source>
        <translation>Niet verwerkt ({count})</translation>
    </message>
</context>
<context>
    <name>NewMessageDialog</name>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="62"/>
        <location filename="../../workbench/ui/new_message_dialog.py" line="297"/>
        <source>New message</source>
        <translation>Nieuw bericht</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="71"/>
        <source>Name, birth date (dd-mm-yyyy) or BSN</source>
        <translation>Naam, geboortedatum (dd-mm-jjjj) of BSN</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="72"/>
        <source>Find the patient</source>
        <translation>Zoek de patiënt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="76"/>
        <source>Patients found</source>
        <translation>Gevonden patiënten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="80"/>
        <source>No patient chosen</source>
        <translation>Geen patiënt gekozen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="86"/>
        <source>Send to</source>
        <translation>Versturen aan</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="89"/>
        <source>Subject</source>
        <translation>Onderwerp</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="92"/>
        <source>Write your message here. Type :: or press Ctrl+T for a template.</source>
        <translation>Schrijf hier uw bericht. Typ :: of druk Ctrl+T voor een standaardantwoord.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="96"/>
        <source>&amp;Patient</source>
        <translation>&amp;Patiënt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="99"/>
        <source>About</source>
        <translation>Over</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="100"/>
        <source>Phone</source>
        <translation>Telefoon</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="101"/>
        <source>&amp;To</source>
        <translation>&amp;Aan</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="102"/>
        <source>&amp;Subject</source>
        <translation>&amp;Onderwerp</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="105"/>
        <source>Send</source>
        <translation>Versturen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="106"/>
        <source>Send (Ctrl+Return)</source>
        <translation>Versturen (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="174"/>
        <source>born {date}</source>
        <translation>geboren {date}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="177"/>
        <source>BSN {bsn}</source>
        <translation>BSN {bsn}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="185"/>
        <source>{count} found</source>
        <translation>{count} gevonden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="187"/>
        <source>No patient found</source>
        <translation>Geen patiënt gevonden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="240"/>
        <source>{name} ({relation}) for the patient</source>
        <translation>{name} ({relation}) van de patiënt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="241"/>
        <source>contact</source>
        <translation>contactpersoon</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="251"/>
        <source>Choose the patient first.</source>
        <translation>Kies eerst de patiënt.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/new_message_dialog.py" line="256"/>
        <source>Write a subject first.</source>
        <translation>Vul eerst een onderwerp in.</translation>
    </message>
</context>
<context>
    <name>PasswordPair</name>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="177"/>
        <source>New password</source>
        <translation>Nieuw wachtwoord</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="179"/>
        <source>at least {n} characters</source>
        <translation>minstens {n} tekens</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="181"/>
        <source>New password again</source>
        <translation>Nieuw wachtwoord nogmaals</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="184"/>
        <source>&amp;Password:</source>
        <translation>&amp;Wachtwoord:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="185"/>
        <source>Password &amp;again:</source>
        <translation>Wachtwoord &amp;nogmaals:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="192"/>
        <source>Type the new password twice.</source>
        <translation>Typ het nieuwe wachtwoord twee keer.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="194"/>
        <source>The two passwords differ.</source>
        <translation>De twee wachtwoorden verschillen.</translation>
    </message>
</context>
<context>
    <name>PatientHistory</name>
    <message>
        <location filename="../../workbench/ui/patient_history.py" line="48"/>
        <source>{name}, {relation}</source>
        <translation>{name}, {relation}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/patient_history.py" line="55"/>
        <source>{number} ({who})</source>
        <translation>{number} ({who})</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/patient_history.py" line="60"/>
        <source>No phone number known: see the HIS</source>
        <translation>Geen telefoonnummer bekend: zie het HIS</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/patient_history.py" line="65"/>
        <source>Phone {numbers}</source>
        <translation>Telefoon {numbers}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/patient_history.py" line="82"/>
        <source>Phone numbers</source>
        <translation>Telefoonnummers</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/patient_history.py" line="91"/>
        <location filename="../../workbench/ui/patient_history.py" line="133"/>
        <source>(no subject)</source>
        <translation>(geen onderwerp)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/patient_history.py" line="95"/>
        <source>{status}: {name}</source>
        <translation>{status}: {name}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/patient_history.py" line="99"/>
        <source>open</source>
        <translation>open</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/patient_history.py" line="102"/>
        <source>call: {outcome}</source>
        <translation>gesprek: {outcome}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/patient_history.py" line="126"/>
        <source>{headline}: earlier e-consult of {date} “{subject}”</source>
        <translation>{headline}: eerder e-consult van {date} “{subject}”</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/patient_history.py" line="136"/>
        <source>{headline}: earlier e-consult of {date}</source>
        <translation>{headline}: eerder e-consult van {date}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/patient_history.py" line="148"/>
        <source>Open</source>
        <translation>Openen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/patient_history.py" line="151"/>
        <location filename="../../workbench/ui/patient_history.py" line="154"/>
        <source>Open the earlier e-consult</source>
        <translation>Het eerdere e-consult openen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/patient_history.py" line="214"/>
        <source>Earlier e-consults</source>
        <translation>Eerdere e-consulten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/patient_history.py" line="217"/>
        <location filename="../../workbench/ui/patient_history.py" line="263"/>
        <source>Double-click or press Enter to open</source>
        <translation>Dubbelklik of druk op Enter om te openen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/patient_history.py" line="327"/>
        <source>Earlier e-consults ({count}, {open} open)</source>
        <translation>Eerdere e-consulten ({count}, {open} open)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/patient_history.py" line="331"/>
        <source>Earlier e-consults ({count})</source>
        <translation>Eerdere e-consulten ({count})</translation>
    </message>
</context>
<context>
    <name>PhotoViewer</name>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="143"/>
        <location filename="../../workbench/ui/photo_viewer.py" line="179"/>
        <location filename="../../workbench/ui/photo_viewer.py" line="274"/>
        <location filename="../../workbench/ui/photo_viewer.py" line="308"/>
        <location filename="../../workbench/ui/photo_viewer.py" line="309"/>
        <source>Photo</source>
        <translation>Foto</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="158"/>
        <source>Previous photo</source>
        <translation>Vorige foto</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="159"/>
        <source>Next photo</source>
        <translation>Volgende foto</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="160"/>
        <source>Fit to window</source>
        <translation>Passend in venster</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="161"/>
        <source>Actual size (100%)</source>
        <translation>Ware grootte (100%)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="163"/>
        <source>Zoom in</source>
        <translation>Inzoomen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="165"/>
        <source>Zoom out</source>
        <translation>Uitzoomen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="166"/>
        <source>Rotate left</source>
        <translation>Linksom draaien</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="168"/>
        <source>Rotate right</source>
        <translation>Rechtsom draaien</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="169"/>
        <source>Compare with an earlier photo</source>
        <translation>Vergelijken met een eerdere foto</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="172"/>
        <source>Full screen</source>
        <translation>Volledig scherm</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="175"/>
        <source>Close the photo viewer</source>
        <translation>Fotoviewer sluiten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="176"/>
        <source>Save for HIS</source>
        <translation>Opslaan voor HIS</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="214"/>
        <source>Open in the system viewer</source>
        <translation>Openen in de systeemviewer</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="227"/>
        <source>Earlier photo</source>
        <translation>Eerdere foto</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="305"/>
        <source>{n} of {m}</source>
        <translation>{n} van {m}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="307"/>
        <source>Photo {n} of {m}</source>
        <translation>Foto {n} van {m}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="316"/>
        <source>No photos</source>
        <translation>Geen foto&apos;s</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="319"/>
        <location filename="../../workbench/ui/photo_viewer.py" line="375"/>
        <source>This photo has not been received yet</source>
        <translation>Deze foto is nog niet ontvangen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="321"/>
        <location filename="../../workbench/ui/photo_viewer.py" line="472"/>
        <source>Loading photo…</source>
        <translation>Foto laden…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="341"/>
        <source>Only part of this photo could be read</source>
        <translation>Slechts een deel van deze foto kon worden gelezen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="343"/>
        <source>This file is a document</source>
        <translation>Dit bestand is een document</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="344"/>
        <source>This file is a document, not a photo</source>
        <translation>Dit bestand is een document, geen foto</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="347"/>
        <location filename="../../workbench/ui/photo_viewer.py" line="350"/>
        <location filename="../../workbench/ui/photo_viewer.py" line="359"/>
        <source>Not shown</source>
        <translation>Niet getoond</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="348"/>
        <location filename="../../workbench/ui/photo_viewer.py" line="483"/>
        <source>This file is not a photo and is not shown</source>
        <translation>Dit bestand is geen foto en wordt niet getoond</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="360"/>
        <location filename="../../workbench/ui/photo_viewer.py" line="498"/>
        <source>This photo could not be read from the disk</source>
        <translation>Deze foto kon niet van de schijf worden gelezen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="366"/>
        <source>The full resolution could not be read; this is the preview</source>
        <translation>De volledige resolutie kon niet worden gelezen; dit is het voorbeeld</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="373"/>
        <source>This photo is too large to show</source>
        <translation>Deze foto is te groot om te tonen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="376"/>
        <source>This photo could not be read</source>
        <translation>Deze foto kon niet worden gelezen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="380"/>
        <source>date taken unknown</source>
        <translation>opnamedatum onbekend</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="382"/>
        <source>taken {date}</source>
        <translation>genomen {date}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="385"/>
        <source>Unknown patient</source>
        <translation>Onbekende patiënt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="387"/>
        <source>unknown</source>
        <translation>onbekend</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="388"/>
        <source>{name}, born {date}</source>
        <translation>{name}, geboren {date}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="395"/>
        <source>sent {date}</source>
        <translation>verstuurd {date}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="524"/>
        <source>Saving the photo…</source>
        <translation>Foto opslaan…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="541"/>
        <source>Saved for the HIS: {path}</source>
        <translation>Opgeslagen voor het HIS: {path}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="550"/>
        <source>The photo was not saved: your user account is not known in this practice</source>
        <translation>De foto is niet opgeslagen: uw gebruiker is niet bekend in deze praktijk</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="556"/>
        <source>The photo could not be saved: {reason}</source>
        <translation>De foto kon niet worden opgeslagen: {reason}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/photo_viewer.py" line="587"/>
        <source>The file could not be opened: {reason}</source>
        <translation>Het bestand kon niet worden geopend: {reason}</translation>
    </message>
</context>
<context>
    <name>PortalBar</name>
    <message>
        <location filename="../../workbench/ui/portal_bar.py" line="87"/>
        <source>Portal not reachable since %1; new messages come in later</source>
        <translation>Portaal niet bereikbaar sinds %1; nieuwe berichten komen later binnen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/portal_bar.py" line="93"/>
        <source>Pull by %1</source>
        <translation>Ophalen door %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/portal_bar.py" line="94"/>
        <source>Another workstation is pulling</source>
        <translation>Een andere werkplek haalt berichten op</translation>
    </message>
</context>
<context>
    <name>PresenceLine</name>
    <message>
        <location filename="../../workbench/ui/presence_line.py" line="16"/>
        <source>%1 is answering this</source>
        <translation>%1 is dit aan het beantwoorden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/presence_line.py" line="18"/>
        <source>%1 has this open</source>
        <translation>%1 heeft dit open</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/presence_line.py" line="41"/>
        <source>Colleagues on this e-consult</source>
        <translation>Collega&apos;s bij dit e-consult</translation>
    </message>
</context>
<context>
    <name>PullStatus</name>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="26"/>
        <source>Last pull: never</source>
        <translation>Laatst opgehaald: nog niet</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="33"/>
        <source>Pull now</source>
        <translation>Nu ophalen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="34"/>
        <source>Fetch new e-consults from the portal (F5)</source>
        <translation>Nieuwe e-consulten ophalen van het portaal (F5)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="48"/>
        <source>Pulling…</source>
        <translation>Bezig met ophalen…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="54"/>
        <source>Fetching photos %1 of %2</source>
        <translation>Foto&apos;s ophalen: %1 van %2</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="58"/>
        <source>Pulling… %1 received</source>
        <translation>Bezig met ophalen… %1 ontvangen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="61"/>
        <source>Checking new messages for alarm signs…</source>
        <translation>Nieuwe berichten nakijken op alarmsignalen…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="89"/>
        <source>Pull by %1</source>
        <translation>Ophalen door %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="90"/>
        <source>Another workstation is pulling</source>
        <translation>Een andere werkplek haalt nu op</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="92"/>
        <source>Pull not finished: the rest follows in the next round</source>
        <translation>Ophalen niet afgerond: de rest volgt bij de volgende ronde</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="94"/>
        <source>Pulled, with %1 problems (see the log)</source>
        <translation>Opgehaald, met %1 problemen (zie het logbestand)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="100"/>
        <location filename="../../workbench/ui/status_panel.py" line="105"/>
        <source>%1 new e-consults</source>
        <translation>%1 nieuwe e-consulten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="101"/>
        <source>Up to date</source>
        <translation>Bijgewerkt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="117"/>
        <source>Secure mail not pulled: %1</source>
        <translation>Beveiligde e-mail niet opgehaald: %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="121"/>
        <source>Secure mail not reachable; new mail comes in later</source>
        <translation>Beveiligde e-mail niet bereikbaar; nieuwe e-mail komt later binnen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="123"/>
        <source>Secure mail not finished: the rest follows in the next round</source>
        <translation>Beveiligde e-mail niet afgerond: de rest volgt bij de volgende ronde</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="124"/>
        <source>Secure mail pulled, with %1 problems (see the log)</source>
        <translation>Beveiligde e-mail opgehaald, met %1 problemen (zie het logboek)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="129"/>
        <source>Pulled, but 1 message not processed: see Not processed</source>
        <translation>Opgehaald, maar 1 bericht niet verwerkt: zie Niet verwerkt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="130"/>
        <source>Pulled, but %1 messages not processed: see Not processed</source>
        <translation>Opgehaald, maar %1 berichten niet verwerkt: zie Niet verwerkt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="132"/>
        <source>1 message not processed</source>
        <translation>1 bericht niet verwerkt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="133"/>
        <source>%1 messages not processed</source>
        <translation>%1 berichten niet verwerkt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="151"/>
        <source>Last pull: %1</source>
        <translation>Laatst opgehaald: %1</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/status_panel.py" line="157"/>
        <source>Next: %1</source>
        <translation>Volgende: %1</translation>
    </message>
</context>
<context>
    <name>QuarantineView</name>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="102"/>
        <location filename="../../workbench/ui/quarantine_view.py" line="126"/>
        <source>Not processed</source>
        <translation>Niet verwerkt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="118"/>
        <source>&amp;Try again now</source>
        <translation>&amp;Opnieuw proberen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="120"/>
        <source>&amp;Mark as handled…</source>
        <translation>&amp;Markeren als afgehandeld…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="134"/>
        <source>Messages from the portal that Workbench cannot show. They are tried again at every pull. Deal with what stays here outside Workbench (for example, call the patient), then mark it as handled.</source>
        <translation>Berichten uit het portaal die Workbench niet kan tonen. Ze worden bij elke ophaalronde opnieuw geprobeerd. Handel wat hier blijft staan buiten Workbench af (bel bijvoorbeeld de patiënt) en markeer het dan als afgehandeld.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="148"/>
        <source>Nothing waiting: everything the portal sent has been processed.</source>
        <translation>Niets te doen: alles wat het portaal stuurde is verwerkt.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="160"/>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="160"/>
        <source>From</source>
        <translation>Van</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="160"/>
        <source>Subject</source>
        <translation>Onderwerp</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="160"/>
        <source>Problem</source>
        <translation>Probleem</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="161"/>
        <source>Attempts</source>
        <translation>Pogingen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="162"/>
        <source>Messages not processed</source>
        <translation>Niet verwerkte berichten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="201"/>
        <source>From:</source>
        <translation>Van:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="202"/>
        <source>About:</source>
        <translation>Over:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="203"/>
        <source>Sent:</source>
        <translation>Verstuurd:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="204"/>
        <source>Subject:</source>
        <translation>Onderwerp:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="205"/>
        <source>Attempts:</source>
        <translation>Pogingen:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="206"/>
        <source>Portal:</source>
        <translation>Portaal:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="211"/>
        <source>Message text</source>
        <translation>Tekst van het bericht</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="307"/>
        <source>This item no longer exists.</source>
        <translation>Dit bericht bestaat niet meer.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="308"/>
        <source>This item was already processed or marked as handled.</source>
        <translation>Dit bericht is al verwerkt of als afgehandeld gemarkeerd.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="309"/>
        <source>Give a reason.</source>
        <translation>Geef een reden.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="310"/>
        <source>Your name is not (or no longer) among the practice&apos;s staff. Choose who is working again, or ask IT.</source>
        <translation>Uw naam staat niet (meer) bij de medewerkers van de praktijk. Kies opnieuw wie er werkt, of vraag het IT.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="316"/>
        <source>Workbench</source>
        <translation>Workbench</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="317"/>
        <source>This action could not be done.</source>
        <translation>Deze handeling kon niet worden uitgevoerd.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="328"/>
        <source>This message cannot be shown: viewing it cannot be recorded.</source>
        <translation>Dit bericht kan niet worden getoond: het inzien kan niet worden vastgelegd.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="332"/>
        <source>Temporary</source>
        <translation>Tijdelijk</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="332"/>
        <location filename="../../workbench/ui/quarantine_view.py" line="345"/>
        <source>Cannot be read</source>
        <translation>Kan niet worden gelezen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="344"/>
        <source>Temporary problem, tried again at every pull</source>
        <translation>Tijdelijk probleem, wordt bij elke ophaalronde opnieuw geprobeerd</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="347"/>
        <source>Technical reason: {reason}</source>
        <translation>Technische reden: {reason}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="349"/>
        <location filename="../../workbench/ui/quarantine_view.py" line="350"/>
        <location filename="../../workbench/ui/quarantine_view.py" line="351"/>
        <source>unknown</source>
        <translation>onbekend</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="352"/>
        <source>(no subject)</source>
        <translation>(geen onderwerp)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="353"/>
        <source>{count} times</source>
        <translation>{count} keer</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="355"/>
        <source>last {moment}</source>
        <translation>laatst {moment}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="357"/>
        <source>in this list since {moment}</source>
        <translation>in deze lijst sinds {moment}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/quarantine_view.py" line="364"/>
        <source>The text cannot be read.</source>
        <translation>De tekst kan niet worden gelezen.</translation>
    </message>
</context>
<context>
    <name>QuestionChecklist</name>
    <message>
        <location filename="../../workbench/ui/question_checklist.py" line="27"/>
        <location filename="../../workbench/ui/question_checklist.py" line="33"/>
        <source>Questions to answer</source>
        <translation>Te beantwoorden vragen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/question_checklist.py" line="36"/>
        <source>No questions found in the patient&apos;s message.</source>
        <translation>Geen vragen gevonden in het bericht van de patiënt.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/question_checklist.py" line="61"/>
        <source>Tick when your answer covers this question</source>
        <translation>Vink aan als uw antwoord deze vraag beantwoordt</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../workbench/ui/reason_dialog.py" line="30"/>
        <source>Reason (required)</source>
        <translation>Reden (verplicht)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reason_dialog.py" line="31"/>
        <source>Reason</source>
        <translation>Reden</translation>
    </message>
</context>
<context>
    <name>ReplyEditor</name>
    <message>
        <location filename="../../workbench/ui/delivery_view.py" line="49"/>
        <source>Sent</source>
        <translation>Verzonden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/delivery_view.py" line="63"/>
        <source>Not sent: {reason}</source>
        <translation>Niet verzonden: {reason}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/delivery_view.py" line="55"/>
        <location filename="../../workbench/ui/delivery_view.py" line="59"/>
        <source>refused by the portal</source>
        <translation>geweigerd door het portaal</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/delivery_view.py" line="53"/>
        <source>the portal no longer knows this conversation</source>
        <translation>het portaal kent dit gesprek niet meer</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/delivery_view.py" line="57"/>
        <source>an attached file is missing</source>
        <translation>een bijgevoegd bestand ontbreekt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/delivery_view.py" line="62"/>
        <source>refused by the mail server</source>
        <translation>geweigerd door de mailserver</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/delivery_view.py" line="66"/>
        <source>Perhaps sent by mail: the connection broke before the mail server confirmed it. Check with the patient, then say so above the answer</source>
        <translation>Misschien per e-mail verstuurd: de verbinding viel weg voordat de mailserver het bevestigde. Vraag het de patiënt en geef het boven het antwoord aan</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/delivery_view.py" line="71"/>
        <source>Waiting to be sent (the mail server cannot be reached or refused it for now; trying again)</source>
        <translation>Wacht op verzending (de mailserver is niet bereikbaar of weigert het nu; wordt opnieuw geprobeerd)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/delivery_view.py" line="75"/>
        <source>Waiting to be sent (an attached file is not in the store yet; trying again)</source>
        <translation>Wacht op verzenden (een bijgevoegd bestand is er nog niet; wordt opnieuw geprobeerd)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/delivery_view.py" line="79"/>
        <source>Waiting to be sent (the portal cannot be reached; trying again)</source>
        <translation>Wacht op verzending (het portaal is niet bereikbaar; wordt opnieuw geprobeerd)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/delivery_view.py" line="81"/>
        <source>Waiting to be sent</source>
        <translation>Wacht op verzending</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="138"/>
        <source>Template…</source>
        <translation>Standaardantwoord…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="139"/>
        <source>Attach…</source>
        <translation>Bijlage…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="140"/>
        <source>Preview</source>
        <translation>Voorbeeld</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="141"/>
        <source>Send</source>
        <translation>Versturen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="145"/>
        <source>Your answer</source>
        <translation>Uw antwoord</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="146"/>
        <source>Write your answer here. Type :: or press Ctrl+T for a template.</source>
        <translation>Schrijf hier uw antwoord. Typ :: of druk Ctrl+T voor een standaardantwoord.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="159"/>
        <source>Signed: {name}, {role}</source>
        <translation>Ondertekend: {name}, {role}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="164"/>
        <source>Ask for an evaluation in</source>
        <translation>Vraag om evaluatie over</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="168"/>
        <source> days</source>
        <translation> dagen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="169"/>
        <source>Days until the evaluation</source>
        <translation>Dagen tot de evaluatie</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="325"/>
        <source>Attach a photo or PDF</source>
        <translation>Foto of pdf toevoegen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="326"/>
        <source>Photos and PDF files (*.jpg *.jpeg *.png *.pdf)</source>
        <translation>Foto&apos;s en pdf-bestanden (*.jpg *.jpeg *.png *.pdf)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="351"/>
        <source>Preview of the answer</source>
        <translation>Voorbeeld van het antwoord</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="354"/>
        <source>Text that will be sent</source>
        <translation>Tekst die wordt verstuurd</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="357"/>
        <source>This is exactly what the patient will read:</source>
        <translation>Dit leest de patiënt precies:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="360"/>
        <source>Attached: {files}</source>
        <translation>Bijlagen: {files}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_sending.py" line="50"/>
        <location filename="../../workbench/ui/reply_sending.py" line="198"/>
        <source>First settle who receives the answer: see the notice above the answer.</source>
        <translation>Regel eerst wie het antwoord krijgt: zie de melding boven het antwoord.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_sending.py" line="74"/>
        <source>{sender} wrote on behalf of {patient}, who is 16 or older. A parent has no access without the young person&apos;s consent. Has {patient} agreed that the answer goes to {sender}?</source>
        <translation>{sender} schreef namens {patient}, die 16 jaar of ouder is. Een ouder heeft geen inzage zonder toestemming van de jongere. Heeft {patient} ermee ingestemd dat het antwoord naar {sender} gaat?</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_sending.py" line="67"/>
        <source>{sender} is not {patient}&apos;s legal representative. Has {patient} agreed that the answer goes to {sender}?</source>
        <translation>{sender} is niet de wettelijk vertegenwoordiger van {patient}. Heeft {patient} toestemming gegeven dat het antwoord naar {sender} gaat?</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_sending.py" line="58"/>
        <source>Not every question is ticked as answered. Send anyway?</source>
        <translation>Niet elke vraag is aangevinkt als beantwoord. Toch versturen?</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_sending.py" line="71"/>
        <source>{sender} wrote on behalf of {patient}, whose age is not known. Has {patient} agreed that the answer goes to {sender}?</source>
        <translation>{sender} schreef namens {patient}, van wie de leeftijd onbekend is. Heeft {patient} toestemming gegeven dat het antwoord naar {sender} gaat?</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_sending.py" line="82"/>
        <location filename="../../workbench/ui/reply_sending.py" line="187"/>
        <source>Write an answer first.</source>
        <translation>Schrijf eerst een antwoord.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_sending.py" line="88"/>
        <source>Fill in {variable} first: replace it with the right text (it is selected).</source>
        <translation>Vul eerst {variable} in: vervang het door de juiste tekst (het is geselecteerd).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="446"/>
        <source>Draft from {when} restored.</source>
        <translation>Concept van {when} teruggezet.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="544"/>
        <source>Only photos (JPEG or PNG) and PDF files can be attached.</source>
        <translation>Alleen foto&apos;s (JPEG of PNG) en pdf-bestanden kunnen worden meegestuurd.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="546"/>
        <source>This file is too large to send.</source>
        <translation>Dit bestand is te groot om te versturen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="548"/>
        <source>The file could not be read.</source>
        <translation>Het bestand kon niet worden gelezen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_sending.py" line="102"/>
        <source>Send the answer</source>
        <translation>Antwoord versturen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_sending.py" line="147"/>
        <source>Answer saved; it goes to the portal with the next push.</source>
        <translation>Antwoord bewaard; het gaat bij de volgende verzending naar het portaal.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_sending.py" line="188"/>
        <source>Fill in {variable} first.</source>
        <translation>Vul eerst {variable} in.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_sending.py" line="190"/>
        <source>This e-consult no longer exists. It may have been removed from the portal.</source>
        <translation>Dit e-consult bestaat niet meer. Het is mogelijk van het portaal verwijderd.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_sending.py" line="192"/>
        <source>Your name is not (or no longer) among the practice&apos;s staff. Choose who is working again, or ask IT.</source>
        <translation>Uw naam staat niet (meer) bij de medewerkers van de praktijk. Kies opnieuw wie er werkt, of vraag het IT.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_sending.py" line="195"/>
        <source>This patient is not (or no longer) in the practice&apos;s list.</source>
        <translation>Deze patiënt staat niet (meer) ingeschreven bij de praktijk.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_sending.py" line="200"/>
        <source>This mail came from an address the practice has not verified for this patient: a medical answer cannot go there. Call the patient, or link the address after checking it.</source>
        <translation>Deze e-mail kwam van een adres dat de praktijk niet voor deze patiënt heeft gecontroleerd: een medisch antwoord kan daar niet heen. Bel de patiënt, of koppel het adres na controle.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_sending.py" line="205"/>
        <source>There is no mail from the patient to answer to.</source>
        <translation>Er is geen e-mail van de patiënt om op te antwoorden.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_sending.py" line="207"/>
        <source>Answers by mail are not set up on this workstation (mail_address): ask IT.</source>
        <translation>Antwoorden per e-mail zijn op deze werkplek niet ingesteld (mail_address): vraag het ICT.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_sending.py" line="210"/>
        <source>The answer could not be saved for sending.</source>
        <translation>Het antwoord kon niet worden bewaard om te versturen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_sending.py" line="214"/>
        <source>This child is younger than 3 months. A child under 3 months with fever must be seen by a GP today: this template cannot be sent. Call the parent and route the e-consult to a GP.</source>
        <translation>Dit kind is jonger dan 3 maanden. Een kind jonger dan 3 maanden met koorts moet vandaag door een huisarts worden gezien: dit standaardantwoord kan niet worden verstuurd. Bel de ouder en zet het e-consult door naar een huisarts.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_sending.py" line="237"/>
        <source>Your answer was discarded.</source>
        <translation>Uw antwoord is weggegooid.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="568"/>
        <source>Answer</source>
        <translation>Antwoord</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_editor.py" line="626"/>
        <location filename="../../workbench/ui/reply_sending.py" line="265"/>
        <source>Workbench</source>
        <translation>Workbench</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/reply_sending.py" line="271"/>
        <source>Route to a GP…</source>
        <translation>Doorzetten naar een huisarts…</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="401"/>
        <source>New password for {name}</source>
        <translation>Nieuw wachtwoord voor {name}</translation>
    </message>
</context>
<context>
    <name>RoleDialog</name>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="435"/>
        <source>Role of {name}</source>
        <translation>Rol van {name}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="444"/>
        <source>&amp;Role:</source>
        <translation>&amp;Rol:</translation>
    </message>
</context>
<context>
    <name>RouteDialog</name>
    <message>
        <location filename="../../workbench/ui/route_dialog.py" line="36"/>
        <source>Route to worklist</source>
        <translation>Naar werklijst</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/route_dialog.py" line="58"/>
        <source>What should the doctor know or do?</source>
        <translation>Wat moet de arts weten of doen?</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/route_dialog.py" line="59"/>
        <source>Note for the doctor</source>
        <translation>Notitie voor de arts</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/route_dialog.py" line="62"/>
        <source>&amp;To:</source>
        <translation>&amp;Aan:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/route_dialog.py" line="63"/>
        <source>Priority:</source>
        <translation>Prioriteit:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/route_dialog.py" line="64"/>
        <source>&amp;Note for the doctor:</source>
        <translation>&amp;Notitie voor de arts:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/route_dialog.py" line="73"/>
        <source>Route</source>
        <translation>Doorsturen</translation>
    </message>
</context>
<context>
    <name>SecondFactorDialog</name>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="493"/>
        <source>Second factor for {name}</source>
        <translation>Tweede factor voor {name}</translation>
    </message>
</context>
<context>
    <name>SecondFactorSetup</name>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="210"/>
        <source>Add this key to the authenticator app on the person&apos;s phone (or type in the address), then enter the code the app shows.</source>
        <translation>Voeg deze sleutel toe aan de authenticator-app op de telefoon van de gebruiker (of typ het adres in) en vul daarna de code in die de app toont.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="219"/>
        <source>Key for the authenticator app</source>
        <translation>Sleutel voor de authenticator-app</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="225"/>
        <source>Address for the authenticator app</source>
        <translation>Adres voor de authenticator-app</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="234"/>
        <source>Key:</source>
        <translation>Sleutel:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="235"/>
        <source>Address:</source>
        <translation>Adres:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="236"/>
        <source>&amp;Code from the app:</source>
        <translation>&amp;Code uit de app:</translation>
    </message>
</context>
<context>
    <name>SendBackDialog</name>
    <message>
        <location filename="../../workbench/ui/message_dialogs.py" line="96"/>
        <source>Send back to assistants</source>
        <translation>Terugsturen naar assistenten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/message_dialogs.py" line="97"/>
        <source>Note for the assistants (optional), e.g. what to tell the patient:</source>
        <translation>Notitie voor de assistenten (optioneel), bijvoorbeeld wat ze de patiënt moeten zeggen:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/message_dialogs.py" line="98"/>
        <source>Send back</source>
        <translation>Terugsturen</translation>
    </message>
</context>
<context>
    <name>SetupMessage</name>
    <message>
        <location filename="../../workbench/ui/setup_message.py" line="45"/>
        <source>Workbench is not set up on this computer yet: the address of the practice&apos;s patient portal is missing.</source>
        <translation>Workbench is nog niet ingesteld op deze computer: het adres van het patiëntenportaal van de praktijk ontbreekt.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/setup_message.py" line="50"/>
        <source>For IT: put the portal address in the file
%1
for example:
%2

Then store the portal&apos;s credentials with “workbench credentials set” and check everything with “workbench check”. The README explains every option under “Configuration for IT”.</source>
        <translation>Voor IT: zet het portaaladres in het bestand
%1
bijvoorbeeld:
%2

Sla daarna de inloggegevens van het portaal op met “workbench credentials set” en controleer alles met “workbench check”. De README beschrijft elke instelling onder “Configuration for IT”.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/setup_message.py" line="58"/>
        <source>Workbench cannot start: the configuration has values that cannot work.</source>
        <translation>Workbench kan niet starten: de configuratie bevat waarden die niet kunnen werken.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/setup_message.py" line="62"/>
        <source>%3

For IT: these options are set in the file
%1
(e.g. %2). Check the result with “workbench check”; the README explains every option under “Configuration for IT”.</source>
        <translation>%3

Voor IT: deze instellingen staan in het bestand
%1
(bijvoorbeeld %2). Controleer het resultaat met “workbench check”; de README beschrijft elke instelling onder “Configuration for IT”.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/setup_message.py" line="72"/>
        <source>Workbench is not set up yet</source>
        <translation>Workbench is nog niet ingesteld</translation>
    </message>
</context>
<context>
    <name>SignIn</name>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="56"/>
        <source>PIN incorrect</source>
        <translation>Pincode onjuist</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="58"/>
        <source>Username or password incorrect</source>
        <translation>Gebruikersnaam of wachtwoord onjuist</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="63"/>
        <source>This account is locked for a while after too many attempts.</source>
        <translation>Dit account is na te veel pogingen een tijd geblokkeerd.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="66"/>
        <source>This account is locked after too many attempts, until %1.</source>
        <translation>Dit account is na te veel pogingen geblokkeerd tot %1.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="70"/>
        <source>Too many attempts: wait %1 seconds and try again.</source>
        <translation>Te veel pogingen: wacht %1 seconden en probeer het opnieuw.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="74"/>
        <source>This account is disabled; ask the practice manager.</source>
        <translation>Dit account is uitgeschakeld; vraag het de praktijkmanager.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="78"/>
        <source>Enter the code from your authenticator app.</source>
        <translation>Vul de code uit uw authenticator-app in.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="82"/>
        <source>The code from the authenticator app is wrong or has expired.</source>
        <translation>De code uit de authenticator-app is onjuist of verlopen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="86"/>
        <source>You have no PIN: unlock with your password.</source>
        <translation>U hebt geen pincode: ontgrendel met uw wachtwoord.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="90"/>
        <source>Sign in with your password first today; after that your PIN works.</source>
        <translation>Meld u vandaag eerst aan met uw wachtwoord; daarna werkt uw pincode.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="94"/>
        <source>Signing in did not work (%1).</source>
        <translation>Aanmelden is niet gelukt (%1).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="109"/>
        <source>Message</source>
        <translation>Melding</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="118"/>
        <source>Authenticator code</source>
        <translation>Code authenticator</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="120"/>
        <source>6 digits from your authenticator app</source>
        <translation>6 cijfers uit uw authenticator-app</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="161"/>
        <source>Sign in to Workbench</source>
        <translation>Aanmelden bij Workbench</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="177"/>
        <source>Username</source>
        <translation>Gebruikersnaam</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="180"/>
        <source>Password</source>
        <translation>Wachtwoord</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="182"/>
        <source>&amp;Code:</source>
        <translation>&amp;Code:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="188"/>
        <source>&amp;Username:</source>
        <translation>&amp;Gebruikersnaam:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="190"/>
        <source>&amp;Password:</source>
        <translation>&amp;Wachtwoord:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="203"/>
        <source>&amp;Sign in</source>
        <translation>&amp;Aanmelden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="248"/>
        <source>No accounts yet: IT creates the first one with &apos;workbench users add&apos;.</source>
        <translation>Nog geen accounts: IT maakt het eerste aan met &apos;workbench users add&apos;.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="221"/>
        <source>Demo: password %1, PIN %2</source>
        <translation>Demo: wachtwoord %1, pincode %2</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="295"/>
        <source>Enter your username.</source>
        <translation>Vul uw gebruikersnaam in.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="299"/>
        <source>Enter your password.</source>
        <translation>Vul uw wachtwoord in.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/sign_in_dialog.py" line="390"/>
        <source>Demo code: %1</source>
        <translation>Democode: %1</translation>
    </message>
</context>
<context>
    <name>TariffsDialog</name>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="58"/>
        <source>Tariffs</source>
        <translation>Tarieven</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="62"/>
        <source>Consult amounts per year. A year without a file of its own uses the nearest earlier year&apos;s amounts, marked as to be confirmed. Load the NZa&apos;s tariffs of a year here as soon as they are published.</source>
        <translation>Consultbedragen per jaar. Een jaar zonder eigen bestand gebruikt de bedragen van het dichtstbijzijnde eerdere jaar, gemarkeerd als nog te bevestigen. Laad hier de NZa-tarieven van een jaar zodra ze gepubliceerd zijn.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="70"/>
        <source>Year</source>
        <translation>Jaar</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="70"/>
        <source>12010 / 12011 / 12001</source>
        <translation>12010 / 12011 / 12001</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="70"/>
        <source>File</source>
        <translation>Bestand</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="71"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="71"/>
        <source>NZa decision</source>
        <translation>NZa-beschikking</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="77"/>
        <source>Tariff files</source>
        <translation>Tarievenbestanden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="80"/>
        <source>&amp;Load NZa tariff file…</source>
        <translation>NZa-tarievenbestand &amp;laden…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="122"/>
        <source>There are no tariffs for {year}.</source>
        <translation>Er zijn geen tarieven voor {year}.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="127"/>
        <source>This year ({year}): the confirmed amounts of {year}.</source>
        <translation>Dit jaar ({year}): de bevestigde bedragen van {year}.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="131"/>
        <source>This year ({day_year}): amounts of {year}; to be confirmed.</source>
        <translation>Dit jaar ({day_year}): bedragen van {year}; nog te bevestigen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="138"/>
        <source>Load NZa tariff file</source>
        <translation>NZa-tarievenbestand laden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="140"/>
        <source>Tariff files (*.json)</source>
        <translation>Tarievenbestanden (*.json)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="154"/>
        <source>Loading…</source>
        <translation>Laden…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="165"/>
        <source>The tariffs of {year} are loaded and used from now on.</source>
        <translation>De tarieven van {year} zijn geladen en worden vanaf nu gebruikt.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="177"/>
        <source>This file was not loaded: {reason}</source>
        <translation>Dit bestand is niet geladen: {reason}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="190"/>
        <source>the file cannot be read.</source>
        <translation>het bestand kan niet worden gelezen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="191"/>
        <source>the file is too large for a tariff file.</source>
        <translation>het bestand is te groot voor een tarievenbestand.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="192"/>
        <source>it is not a tariff file (JSON).</source>
        <translation>het is geen tarievenbestand (JSON).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="193"/>
        <source>the field “{detail}” is missing, unknown or of the wrong kind.</source>
        <translation>het veld “{detail}” ontbreekt, is onbekend of van de verkeerde soort.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="195"/>
        <source>its name says {detail}, but it holds another year&apos;s tariffs.</source>
        <translation>de naam zegt {detail}, maar het bevat de tarieven van een ander jaar.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="197"/>
        <source>code {detail} is missing, unknown or listed twice.</source>
        <translation>code {detail} ontbreekt, is onbekend of staat er twee keer in.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="198"/>
        <source>code {detail} has other minutes than the NZa consult codes.</source>
        <translation>code {detail} heeft andere minuten dan de NZa-consultcodes.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="199"/>
        <source>the amount of code {detail} is wrong (whole cents, more than the shorter consult&apos;s).</source>
        <translation>het bedrag van code {detail} klopt niet (hele centen, meer dan dat van het kortere consult).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="205"/>
        <source>Loaded by the practice</source>
        <translation>Geladen door de praktijk</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="206"/>
        <source>Set by IT (machine-wide)</source>
        <translation>Door ICT ingesteld (voor de hele computer)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="207"/>
        <source>Shipped with Workbench</source>
        <translation>Meegeleverd met Workbench</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="211"/>
        <source>Refused: {reason}</source>
        <translation>Geweigerd: {reason}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="213"/>
        <source>Not used: another file of this year comes first</source>
        <translation>Niet gebruikt: een ander bestand van dit jaar gaat voor</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="216"/>
        <source>In use; to be confirmed</source>
        <translation>In gebruik; nog te bevestigen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/tariffs_dialog.py" line="217"/>
        <source>In use; confirmed</source>
        <translation>In gebruik; bevestigd</translation>
    </message>
</context>
<context>
    <name>TemplateEditor</name>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="61"/>
        <location filename="../../workbench/ui/template_editor.py" line="67"/>
        <location filename="../../workbench/ui/template_editor.py" line="288"/>
        <source>Templates</source>
        <translation>Standaardantwoorden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="72"/>
        <source>Words to find it by, separated by commas</source>
        <translation>Zoekwoorden, gescheiden door komma&apos;s</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="74"/>
        <source>Practice (everyone)</source>
        <translation>Praktijk (iedereen)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="75"/>
        <source>Personal (only me)</source>
        <translation>Persoonlijk (alleen ik)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="77"/>
        <source>Template text</source>
        <translation>Tekst van het standaardantwoord</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="79"/>
        <source>Variables: {aanhef} salutation, {patient} full name, {voornaam} first name, {medewerker} your name, {functie} your role, {praktijk} practice, {praktijk_telefoon} phone, {datum} today, {datum+7} a week from today. A fallback after a bar: {voornaam|patiënt}.</source>
        <translation>Variabelen: {aanhef} aanhef, {patient} volledige naam, {voornaam} voornaam, {medewerker} uw naam, {functie} uw functie, {praktijk} praktijk, {praktijk_telefoon} telefoon, {datum} vandaag, {datum+7} over een week. Een alternatief na een streep: {voornaam|patiënt}.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="87"/>
        <source>&amp;Name</source>
        <translation>&amp;Naam</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="88"/>
        <source>&amp;Category</source>
        <translation>&amp;Categorie</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="89"/>
        <source>&amp;Keywords</source>
        <translation>&amp;Zoekwoorden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="90"/>
        <source>&amp;For</source>
        <translation>&amp;Voor</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="91"/>
        <source>&amp;Text</source>
        <translation>&amp;Tekst</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="94"/>
        <source>&amp;New</source>
        <translation>&amp;Nieuw</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="95"/>
        <source>&amp;Save</source>
        <translation>&amp;Opslaan</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="96"/>
        <source>&amp;Delete…</source>
        <translation>&amp;Verwijderen…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="97"/>
        <source>&amp;Import…</source>
        <translation>&amp;Importeren…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="98"/>
        <source>E&amp;xport…</source>
        <translation>E&amp;xporteren…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="151"/>
        <source>(personal)</source>
        <translation>(persoonlijk)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="218"/>
        <source>Delete template</source>
        <translation>Standaardantwoord verwijderen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="219"/>
        <source>Delete the template “{name}”? This cannot be undone.</source>
        <translation>Het standaardantwoord “{name}” verwijderen? Dit kan niet ongedaan worden gemaakt.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="296"/>
        <source>The file could not be read or written.</source>
        <translation>Het bestand kon niet worden gelezen of geschreven.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="299"/>
        <source>The text uses {variable}, which is not a known variable. See the list under the text.</source>
        <translation>De tekst gebruikt {variable}, dat is geen bekende variabele. Zie de lijst onder de tekst.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="302"/>
        <source>name</source>
        <translation>naam</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="302"/>
        <source>category</source>
        <translation>categorie</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="303"/>
        <source>text</source>
        <translation>tekst</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="303"/>
        <source>keywords</source>
        <translation>zoekwoorden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="304"/>
        <source>Fill in the {field} (not too long).</source>
        <translation>Vul de {field} in (niet te lang).</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="307"/>
        <source>A personal template needs an owner: choose who is working first.</source>
        <translation>Een persoonlijk standaardantwoord heeft een eigenaar nodig: kies eerst wie er werkt.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="309"/>
        <source>This is not a template file made by Workbench.</source>
        <translation>Dit is geen bestand met standaardantwoorden van Workbench.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="311"/>
        <source>This template no longer exists.</source>
        <translation>Dit standaardantwoord bestaat niet meer.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="312"/>
        <source>The template could not be saved.</source>
        <translation>Het standaardantwoord kon niet worden opgeslagen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="315"/>
        <source>Import templates</source>
        <translation>Standaardantwoorden importeren</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="316"/>
        <location filename="../../workbench/ui/template_editor.py" line="326"/>
        <source>Template files (*.json)</source>
        <translation>Bestanden met standaardantwoorden (*.json)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_editor.py" line="324"/>
        <source>Export templates</source>
        <translation>Standaardantwoorden exporteren</translation>
    </message>
</context>
<context>
    <name>TemplatePicker</name>
    <message>
        <location filename="../../workbench/ui/template_picker.py" line="195"/>
        <source>Insert a template</source>
        <translation>Standaardantwoord invoegen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_picker.py" line="196"/>
        <source>Search templates: name, keyword or text</source>
        <translation>Zoek standaardantwoorden: naam, zoekwoord of tekst</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_picker.py" line="197"/>
        <source>No template found</source>
        <translation>Geen standaardantwoord gevonden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_picker.py" line="198"/>
        <source>Search templates</source>
        <translation>Standaardantwoorden zoeken</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_picker.py" line="199"/>
        <source>Templates</source>
        <translation>Standaardantwoorden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_picker.py" line="202"/>
        <source>Template text</source>
        <translation>Tekst van het standaardantwoord</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_picker.py" line="204"/>
        <source>Manage templates…</source>
        <translation>Standaardantwoorden beheren…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/template_picker.py" line="223"/>
        <source>Other</source>
        <translation>Overig</translation>
    </message>
</context>
<context>
    <name>TextActionDialog</name>
    <message>
        <location filename="../../workbench/ui/message_dialogs.py" line="63"/>
        <source>Fill in %1 first.</source>
        <translation>Vul eerst %1 in.</translation>
    </message>
</context>
<context>
    <name>ThirdPartyNotice</name>
    <message>
        <location filename="../../workbench/ui/third_party_notice.py" line="45"/>
        <source>Parent has authority (gezag)</source>
        <translation>Ouder heeft gezag</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/third_party_notice.py" line="46"/>
        <source>Consent confirmed</source>
        <translation>Toestemming bevestigd</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/third_party_notice.py" line="47"/>
        <source>State a reason…</source>
        <translation>Reden opgeven…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/third_party_notice.py" line="48"/>
        <source>Patient cannot decide</source>
        <translation>Patiënt is wilsonbekwaam</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/third_party_notice.py" line="50"/>
        <source>Patient agreed</source>
        <translation>Patiënt gaf toestemming</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/third_party_notice.py" line="51"/>
        <source>Answer the patient instead</source>
        <translation>Antwoord aan de patiënt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/third_party_notice.py" line="100"/>
        <source>The patient is under 12: {sender} has authority and decides; the answer goes to them.</source>
        <translation>De patiënt is jonger dan 12: {sender} heeft het gezag en beslist; het antwoord gaat naar hen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/third_party_notice.py" line="103"/>
        <source>{sender} is a parent. Only a parent with parental authority (gezag) or a guardian may receive the answer about a child. Check it once for this child, or answer the patient.</source>
        <translation>{sender} is een ouder. Alleen een ouder met gezag of een voogd mag het antwoord over een kind krijgen. Controleer dit één keer voor dit kind, of antwoord aan de patiënt.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/third_party_notice.py" line="107"/>
        <source>The child is 12 to 15: the answer goes to {sender} only with the child&apos;s consent, or a reason you state.</source>
        <translation>Het kind is 12 tot en met 15 jaar: het antwoord gaat alleen naar {sender} met toestemming van het kind, of met een reden die u opgeeft.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/third_party_notice.py" line="110"/>
        <source>The patient&apos;s age is not known: the answer goes to {sender} only with the patient&apos;s consent. Sending asks you to confirm it.</source>
        <translation>De leeftijd van de patiënt is onbekend: het antwoord gaat alleen naar {sender} met toestemming van de patiënt. Bij verzenden wordt u gevraagd dat te bevestigen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/third_party_notice.py" line="113"/>
        <source>The patient is 16 or older and decides: the answer goes to {sender} only with the patient&apos;s consent. Sending asks you to confirm it.</source>
        <translation>De patiënt is 16 jaar of ouder en beslist zelf: het antwoord gaat alleen naar {sender} met toestemming van de patiënt. Bij verzenden wordt u gevraagd dat te bevestigen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/third_party_notice.py" line="117"/>
        <source>{sender} is the patient&apos;s authorised representative (gemachtigde); the answer goes to them.</source>
        <translation>{sender} is de gemachtigde van de patiënt; het antwoord gaat naar hen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/third_party_notice.py" line="120"/>
        <source>{sender} is the patient&apos;s mentor or curator; the answer goes to them.</source>
        <translation>{sender} is mentor of curator van de patiënt; het antwoord gaat naar hen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/third_party_notice.py" line="123"/>
        <source>{sender} represents the patient only when the patient cannot decide. Confirm that, or that the patient agreed, or answer the patient.</source>
        <translation>{sender} vertegenwoordigt de patiënt alleen als de patiënt wilsonbekwaam is. Bevestig dat, of dat de patiënt toestemming gaf, of antwoord aan de patiënt.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/third_party_notice.py" line="127"/>
        <source>{sender} is not the patient&apos;s legal representative: answer the patient, or ask the patient&apos;s consent.</source>
        <translation>{sender} is geen wettelijk vertegenwoordiger: antwoord aan de patiënt of vraag toestemming.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/third_party_notice.py" line="131"/>
        <source>The answer goes to the patient.</source>
        <translation>Het antwoord gaat naar de patiënt.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/third_party_notice.py" line="135"/>
        <source>A reason is recorded.</source>
        <translation>Een reden is vastgelegd.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/third_party_notice.py" line="137"/>
        <source>Recorded: the patient cannot decide.</source>
        <translation>Vastgelegd: de patiënt is wilsonbekwaam.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/third_party_notice.py" line="153"/>
        <source>Reason</source>
        <translation>Reden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/third_party_notice.py" line="154"/>
        <source>Why may the answer go to the parent without the child&apos;s consent?</source>
        <translation>Waarom mag het antwoord zonder toestemming van het kind naar de ouder?</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/third_party_notice.py" line="133"/>
        <source>Consent is recorded.</source>
        <translation>Toestemming is vastgelegd.</translation>
    </message>
</context>
<context>
    <name>ThreadView</name>
    <message>
        <location filename="../../workbench/ui/thread_view.py" line="109"/>
        <source>Messages</source>
        <translation>Berichten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/thread_view.py" line="110"/>
        <source>No messages</source>
        <translation>Geen berichten</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/thread_view.py" line="141"/>
        <source>Open this address from the patient in your browser?</source>
        <translation>Dit adres van de patiënt openen in uw browser?</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/thread_view.py" line="144"/>
        <source>Your browser receives it as:</source>
        <translation>Uw browser krijgt het zo:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/thread_view.py" line="145"/>
        <source>Open address</source>
        <translation>Adres openen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/thread_view.py" line="188"/>
        <source>Patient or carer</source>
        <translation>Patiënt of naaste</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/thread_view.py" line="191"/>
        <source>Practice</source>
        <translation>Praktijk</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/thread_view.py" line="193"/>
        <source>Unknown sender</source>
        <translation>Onbekende afzender</translation>
    </message>
</context>
<context>
    <name>TimeChart</name>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="53"/>
        <source>Time per day</source>
        <translation>Tijd per dag</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="58"/>
        <source>{days} days, {time} in total</source>
        <translation>{days} dagen, {time} in totaal</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="76"/>
        <source>No time recorded in this period</source>
        <translation>Geen tijd vastgelegd in deze periode</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/declarations_view.py" line="80"/>
        <source>max {minutes} min/day</source>
        <translation>max. {minutes} min/dag</translation>
    </message>
</context>
<context>
    <name>UnknownSendersView</name>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="102"/>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="132"/>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="478"/>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="494"/>
        <source>Unknown sender</source>
        <translation>Onbekende afzender</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="118"/>
        <source>&amp;Link to patient…</source>
        <translation>&amp;Aan patiënt koppelen…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="120"/>
        <source>&amp;Import for the chosen patient…</source>
        <translation>&amp;Inlezen bij de gekozen patiënt…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="122"/>
        <source>Reply: &amp;call the practice…</source>
        <translation>Antwoord: &amp;bel de praktijk…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="124"/>
        <source>Reply: use the &amp;portal…</source>
        <translation>Antwoord: gebruik het &amp;portaal…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="126"/>
        <source>&amp;Mark as handled…</source>
        <translation>Als &amp;afgehandeld markeren…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="140"/>
        <source>Secure mail that Workbench does not import by itself: the sender&apos;s address is not known for a patient, several patients share it, or the mail could not be read. Link the sender to a patient after checking the address, or send a reply without medical content.</source>
        <translation>Beveiligde e-mail die Workbench niet zelf inleest: het adres van de afzender is bij geen patiënt bekend, meer patiënten delen het, of de e-mail kon niet gelezen worden. Koppel de afzender na controle van het adres aan een patiënt, of stuur een antwoord zonder medische inhoud.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="161"/>
        <source>Nothing waiting: every mail has been imported or answered.</source>
        <translation>Er wacht niets: elke e-mail is ingelezen of beantwoord.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="173"/>
        <source>Received</source>
        <translation>Ontvangen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="173"/>
        <source>From</source>
        <translation>Van</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="173"/>
        <source>Subject</source>
        <translation>Onderwerp</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="173"/>
        <source>Why</source>
        <translation>Waarom</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="174"/>
        <source>Mails waiting</source>
        <translation>Wachtende e-mails</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="218"/>
        <source>From:</source>
        <translation>Van:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="219"/>
        <source>Received:</source>
        <translation>Ontvangen:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="220"/>
        <source>Subject:</source>
        <translation>Onderwerp:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="221"/>
        <source>Attachments:</source>
        <translation>Bijlagen:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="228"/>
        <source>Patients with this &amp;address:</source>
        <translation>Patiënten met dit &amp;adres:</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="230"/>
        <source>Patients with this address</source>
        <translation>Patiënten met dit adres</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="238"/>
        <source>Mail text</source>
        <translation>Tekst van de e-mail</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="256"/>
        <source>Possibly urgent</source>
        <translation>Mogelijk spoed</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="315"/>
        <source>Import this mail as an e-consult of {patient}?</source>
        <translation>Deze e-mail inlezen als e-consult van {patient}?</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="317"/>
        <source>Import for this patient</source>
        <translation>Inlezen bij deze patiënt</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="317"/>
        <source>&amp;Import</source>
        <translation>&amp;Inlezen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="329"/>
        <source>Send {address} the standard reply &quot;Please call the practice&quot;? It contains nothing medical. The mail is then handled and not imported.</source>
        <translation>{address} het standaardantwoord &quot;Wilt u de praktijk bellen&quot; sturen? Er staat niets medisch in. De e-mail is daarna afgehandeld en wordt niet ingelezen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="333"/>
        <source>Send {address} the standard reply &quot;Please use the patient portal&quot;? It contains nothing medical. The mail is then handled and not imported.</source>
        <translation>{address} het standaardantwoord &quot;Wilt u het patiëntenportaal gebruiken&quot; sturen? Er staat niets medisch in. De e-mail is daarna afgehandeld en wordt niet ingelezen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="336"/>
        <source>Send a standard reply</source>
        <translation>Standaardantwoord sturen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="336"/>
        <source>&amp;Send reply</source>
        <translation>Antwoord &amp;sturen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="345"/>
        <source>Mark as handled</source>
        <translation>Als afgehandeld markeren</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="346"/>
        <source>Has this mail been dealt with outside Workbench (for example, you called the sender)? It then leaves this list without being imported; the mail itself is kept.</source>
        <translation>Is deze e-mail buiten Workbench afgehandeld (u heeft de afzender bijvoorbeeld gebeld)? Hij verdwijnt dan uit deze lijst zonder te worden ingelezen; de e-mail zelf blijft bewaard.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="348"/>
        <source>&amp;Mark as handled</source>
        <translation>Als &amp;afgehandeld markeren</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="396"/>
        <source>Imported: the mail is an e-consult in the inbox now.</source>
        <translation>Ingelezen: de e-mail staat nu als e-consult in de inbox.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="398"/>
        <source>{count} more mails from this address wait here; link each of them as well.</source>
        <translation>Van dit adres wachten hier nog {count} e-mails; koppel die ook elk.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="403"/>
        <source>Standard reply to {address}; the mail is handled.</source>
        <translation>Standaardantwoord aan {address}; de e-mail is afgehandeld.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="405"/>
        <source>Marked as handled.</source>
        <translation>Als afgehandeld gemarkeerd.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="419"/>
        <source>Workbench</source>
        <translation>Workbench</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="425"/>
        <source>This mail no longer exists.</source>
        <translation>Deze e-mail bestaat niet meer.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="426"/>
        <source>This mail was already imported or answered, perhaps at another workstation.</source>
        <translation>Deze e-mail is al ingelezen of beantwoord, misschien op een andere werkplek.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="428"/>
        <source>This patient no longer exists.</source>
        <translation>Deze patiënt bestaat niet meer.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="429"/>
        <source>This patient does not share this address (any more). Look again.</source>
        <translation>Deze patiënt deelt dit adres niet (meer). Kijk nog eens.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="431"/>
        <source>This mail has no sender address to reply to.</source>
        <translation>Deze e-mail heeft geen afzenderadres om op te antwoorden.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="432"/>
        <source>Replies by mail are not set up on this workstation (mail_address): ask IT.</source>
        <translation>Antwoorden per e-mail zijn op deze werkplek niet ingesteld (mail_address): vraag het ICT.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="434"/>
        <source>This mail could not be read, so it cannot be imported. Send a standard reply, or deal with it outside Workbench.</source>
        <translation>Deze e-mail kon niet gelezen worden en kan dus niet worden ingelezen. Stuur een standaardantwoord, of handel hem buiten Workbench af.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="437"/>
        <source>The kept copy of this mail cannot be found, so it cannot be imported. Ask IT to check the attachments folder.</source>
        <translation>De bewaarde kopie van deze e-mail is niet te vinden, dus hij kan niet worden ingelezen. Vraag ICT de bijlagenmap te controleren.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="439"/>
        <source>Your name is not (or no longer) among the practice&apos;s staff. Choose who is working again, or ask IT.</source>
        <translation>Uw naam staat niet (meer) bij de medewerkers van de praktijk. Kies opnieuw wie er werkt, of vraag het ICT.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="442"/>
        <source>This action could not be done.</source>
        <translation>Deze handeling kon niet worden uitgevoerd.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="473"/>
        <source>This mail cannot be shown: viewing it cannot be recorded.</source>
        <translation>Deze e-mail kan niet worden getoond: het inzien kan niet worden vastgelegd.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="479"/>
        <source>Shared address</source>
        <translation>Gedeeld adres</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="480"/>
        <source>Cannot be read</source>
        <translation>Niet leesbaar</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="485"/>
        <source>Several patients share this address</source>
        <translation>Meer patiënten delen dit adres</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="486"/>
        <source>The address is known for more than one patient (a family, for example). Choose whose mail this is: it is then imported as that patient&apos;s e-consult.</source>
        <translation>Het adres is bij meer dan één patiënt bekend (een gezin bijvoorbeeld). Kies van wie deze e-mail is: hij wordt dan als e-consult van die patiënt ingelezen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="490"/>
        <source>This mail could not be read</source>
        <translation>Deze e-mail kon niet gelezen worden</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="491"/>
        <source>Workbench could not read this mail, so it cannot be imported. The mail itself is kept. Ask the sender to call the practice or to use the portal.</source>
        <translation>Workbench kon deze e-mail niet lezen, dus hij kan niet worden ingelezen. De e-mail zelf blijft bewaard. Vraag de afzender de praktijk te bellen of het portaal te gebruiken.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="495"/>
        <source>No patient is known by this address. Anyone can put any address above a mail, so check with the patient (by phone, for example) that the address is theirs before you link it. Or send a reply without medical content.</source>
        <translation>Bij dit adres is geen patiënt bekend. Iedereen kan elk adres boven een e-mail zetten: controleer dus bij de patiënt (bijvoorbeeld telefonisch) dat het adres van hem of haar is voordat u het koppelt. Of stuur een antwoord zonder medische inhoud.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="522"/>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="523"/>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="576"/>
        <source>unknown</source>
        <translation>onbekend</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="524"/>
        <source>(no subject)</source>
        <translation>(geen onderwerp)</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="542"/>
        <source>The mail has no text.</source>
        <translation>De e-mail heeft geen tekst.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="553"/>
        <source>Possibly urgent: {signs}. Nobody is linked to this address: find out who wrote (the name, the text) and call them, or reply at once with &quot;call the practice&quot;.</source>
        <translation>Mogelijk spoed: {signs}. Aan dit adres is niemand gekoppeld: zoek uit wie schreef (de naam, de tekst) en bel diegene, of antwoord meteen met &quot;bel de praktijk&quot;.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="560"/>
        <source>This mail also went to {count} other addresses.</source>
        <translation>Deze e-mail ging ook naar {count} andere adressen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="563"/>
        <source>Sent as HTML only: shown here as plain text.</source>
        <translation>Alleen als HTML verstuurd: hier als platte tekst getoond.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="565"/>
        <source>The standard reply was refused by the mail server: the sender has not heard from the practice. Try the other reply, or call if you know who it is.</source>
        <translation>De mailserver weigerde het standaardantwoord: de afzender heeft niets van de praktijk gehoord. Probeer het andere antwoord, of bel als u weet wie het is.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="577"/>
        <source>none</source>
        <translation>geen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="604"/>
        <source>born {date}</source>
        <translation>geboren {date}</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/unknown_senders_view.py" line="607"/>
        <source>BSN {bsn}</source>
        <translation>BSN {bsn}</translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="125"/>
        <source>A password has at least {n} characters.</source>
        <translation>Een wachtwoord heeft minstens {n} tekens.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="128"/>
        <source>The code from the authenticator app is wrong or has expired.</source>
        <translation>De code uit de authenticator-app is onjuist of verlopen.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="132"/>
        <source>Enter the code the authenticator app shows.</source>
        <translation>Vul de code in die de authenticator-app toont.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="135"/>
        <source>A username has 2 to 80 characters: lower-case letters, digits, dot, hyphen or underscore, starting with a letter or digit.</source>
        <translation>Een gebruikersnaam heeft 2 tot 80 tekens: kleine letters, cijfers, punt, koppelteken of liggend streepje, en begint met een letter of cijfer.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="141"/>
        <source>This username is taken.</source>
        <translation>Deze gebruikersnaam is al in gebruik.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="144"/>
        <source>Fill in the name.</source>
        <translation>Vul de naam in.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="145"/>
        <source>This account or portal practitioner no longer exists.</source>
        <translation>Dit account of deze zorgverlener van het portaal bestaat niet meer.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="148"/>
        <source>This portal practitioner already has an account.</source>
        <translation>Deze zorgverlener van het portaal heeft al een account.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="151"/>
        <source>The first account must be the practice manager&apos;s.</source>
        <translation>Het eerste account moet van de praktijkmanager zijn.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="154"/>
        <source>The last active practice manager cannot be disabled.</source>
        <translation>De laatste actieve praktijkmanager kan niet worden uitgeschakeld.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="157"/>
        <source>Only the practice manager may manage users.</source>
        <translation>Alleen de praktijkmanager mag gebruikers beheren.</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="538"/>
        <location filename="../../workbench/ui/users_dialog.py" line="561"/>
        <source>Users</source>
        <translation>Gebruikers</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="543"/>
        <source>Name</source>
        <translation>Naam</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="544"/>
        <source>Username</source>
        <translation>Gebruikersnaam</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="545"/>
        <source>Role</source>
        <translation>Rol</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="546"/>
        <source>Active</source>
        <translation>Actief</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="547"/>
        <source>Locked until</source>
        <translation>Geblokkeerd tot</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="548"/>
        <source>PIN</source>
        <translation>Pincode</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="549"/>
        <source>Second factor</source>
        <translation>Tweede factor</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="550"/>
        <source>Portal</source>
        <translation>Portaal</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="564"/>
        <source>&amp;Add…</source>
        <translation>&amp;Toevoegen…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="565"/>
        <location filename="../../workbench/ui/users_dialog.py" line="741"/>
        <source>&amp;Disable</source>
        <translation>&amp;Uitschakelen</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="566"/>
        <source>&amp;Reset password…</source>
        <translation>&amp;Nieuw wachtwoord…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="567"/>
        <source>Set up &amp;second factor…</source>
        <translation>Tweede &amp;factor instellen…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="568"/>
        <source>Change r&amp;ole…</source>
        <translation>R&amp;ol wijzigen…</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="701"/>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="701"/>
        <source>no</source>
        <translation>nee</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="703"/>
        <source>not asked</source>
        <translation>niet gevraagd</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="706"/>
        <source>set up</source>
        <translation>ingesteld</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="706"/>
        <source>not set up</source>
        <translation>niet ingesteld</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="721"/>
        <source>linked</source>
        <translation>gekoppeld</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="721"/>
        <source>not linked</source>
        <translation>niet gekoppeld</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/users_dialog.py" line="739"/>
        <source>&amp;Enable</source>
        <translation>&amp;Inschakelen</translation>
    </message>
</context>
</TS>
