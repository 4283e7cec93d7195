<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ApplyResult</name>
    <message>
        <source>The frame would make the picture larger than %1 pixels on a side.</source>
        <translation>Der Rahmen würde das Bild auf mehr als %1 Pixel je Seite vergrößern.</translation>
    </message>
    <message>
        <source>The result is empty.</source>
        <translation>Das Ergebnis ist leer.</translation>
    </message>
    <message>
        <source>The picture changed size since this result was generated.</source>
        <translation>Das Bild hat seit der Erzeugung dieses Ergebnisses seine Größe geändert.</translation>
    </message>
</context>
<context>
    <name>Autosave</name>
    <message>
        <source>Untitled</source>
        <translation>Unbenannt</translation>
    </message>
</context>
<context>
    <name>Document</name>
    <message>
        <source>Untitled</source>
        <translation>Unbenannt</translation>
    </message>
</context>
<context>
    <name>DocumentIO</name>
    <message>
        <source>Images and documents (*.ora *.png *.jpg *.jpeg *.webp *.bmp);;OpenRaster (*.ora);;PNG (*.png);;JPEG (*.jpg *.jpeg);;WebP (*.webp);;BMP (*.bmp);;All files (*)</source>
        <translation>Bilder und Dokumente (*.ora *.png *.jpg *.jpeg *.webp *.bmp);;OpenRaster (*.ora);;PNG (*.png);;JPEG (*.jpg *.jpeg);;WebP (*.webp);;BMP (*.bmp);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>OpenRaster (*.ora)</source>
        <translation>OpenRaster (*.ora)</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <source>not enough memory for this image</source>
        <translation>nicht genug Speicher für dieses Bild</translation>
    </message>
    <message>
        <source>the file does not exist</source>
        <translation>die Datei existiert nicht</translation>
    </message>
</context>
<context>
    <name>Generation</name>
    <message>
        <source>Text → image</source>
        <translation>Text → Bild</translation>
    </message>
    <message>
        <source>Inpaint</source>
        <translation>Inpainting</translation>
    </message>
    <message>
        <source>Variations</source>
        <translation>Variationen</translation>
    </message>
    <message>
        <source>Interpolate</source>
        <translation>Interpolieren</translation>
    </message>
    <message>
        <source>Text diff</source>
        <translation>Textdifferenz</translation>
    </message>
    <message>
        <source>Prior</source>
        <translation>Prior</translation>
    </message>
    <message>
        <source>Decoder</source>
        <translation>Decoder</translation>
    </message>
    <message>
        <source>Super-resolution</source>
        <translation>Hochskalierung</translation>
    </message>
    <message>
        <source>Inversion</source>
        <translation>Inversion</translation>
    </message>
</context>
<context>
    <name>HistoryStore</name>
    <message>
        <source>Cannot create the undo history file in %1: %2</source>
        <translation>Die Verlaufsdatei kann in %1 nicht angelegt werden: %2</translation>
    </message>
    <message>
        <source>Cannot write the undo history file %1: %2</source>
        <translation>Die Verlaufsdatei %1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Cannot read the undo history back from %1</source>
        <translation>Der Verlauf kann nicht aus %1 zurückgelesen werden</translation>
    </message>
</context>
<context>
    <name>ModelFolderCheck</name>
    <message>
        <source>No folder given.</source>
        <translation>Kein Ordner angegeben.</translation>
    </message>
    <message>
        <source>“%1” is not a folder.</source>
        <translation>„%1“ ist kein Ordner.</translation>
    </message>
    <message>
        <source>“%1” has no model_index.json: choose the folder of a diffusers unCLIP model (the one holding prior/, decoder/, super_res_first/ …).</source>
        <translation>„%1“ enthält keine model_index.json: wählen Sie den Ordner eines diffusers-unCLIP-Modells (den mit prior/, decoder/, super_res_first/ …).</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>These folders are of different model families (%1): load one family at a time.</source>
        <translation>Diese Ordner gehören zu verschiedenen Modellfamilien (%1): Laden Sie jeweils nur eine Familie.</translation>
    </message>
    <message>
        <source>%1 and %2 hold the same Kandinsky 2.2 part: give each of the three folders once.</source>
        <translation>%1 und %2 enthalten denselben Teil von Kandinsky 2.2: Geben Sie jeden der drei Ordner nur einmal an.</translation>
    </message>
    <message>
        <source>No Kandinsky 2.2 prior (kandinsky-2-2-prior, as the model folder): it turns texts and pictures into what the decoders draw, so no mode runs without it.</source>
        <translation>Kein Kandinsky-2.2-Prior (kandinsky-2-2-prior, als Modellordner): Er macht aus Texten und Bildern, was die Decoder zeichnen; ohne ihn läuft kein Modus.</translation>
    </message>
    <message>
        <source>No decoder folder (kandinsky-2-2-decoder): only Inpaint can run.</source>
        <translation>Kein Decoder-Ordner (kandinsky-2-2-decoder): Nur Inpainting ist möglich.</translation>
    </message>
    <message>
        <source>No inpainting decoder folder (kandinsky-2-2-decoder-inpaint): Inpaint is unavailable.</source>
        <translation>Kein Inpainting-Decoder-Ordner (kandinsky-2-2-decoder-inpaint): Inpainting ist nicht verfügbar.</translation>
    </message>
    <message>
        <source>Karlo (unCLIP) model</source>
        <translation>Karlo-(unCLIP-)Modell</translation>
    </message>
    <message>
        <source>Kandinsky 2.2 prior</source>
        <translation>Kandinsky-2.2-Prior</translation>
    </message>
    <message>
        <source>Kandinsky 2.2 decoder</source>
        <translation>Kandinsky-2.2-Decoder</translation>
    </message>
    <message>
        <source>Kandinsky 2.2 inpainting decoder</source>
        <translation>Kandinsky-2.2-Inpainting-Decoder</translation>
    </message>
    <message>
        <source>%1 with %2.</source>
        <translation>%1 mit %2.</translation>
    </message>
</context>
<context>
    <name>OraFormat</name>
    <message>
        <source>stack.xml is not valid XML (%1)</source>
        <translation>stack.xml ist kein gültiges XML (%1)</translation>
    </message>
    <message>
        <source>stack.xml has no image size</source>
        <translation>stack.xml enthält keine Bildgröße</translation>
    </message>
    <message>
        <source>the archive has no “%1”</source>
        <translation>das Archiv enthält kein „%1“</translation>
    </message>
    <message>
        <source>“%1” is too large</source>
        <translation>„%1“ ist zu groß</translation>
    </message>
    <message>
        <source>cannot read “%1” (%2)</source>
        <translation>„%1“ kann nicht gelesen werden (%2)</translation>
    </message>
    <message>
        <source>cannot read “%1” (damaged archive)</source>
        <translation>„%1“ kann nicht gelesen werden (beschädigtes Archiv)</translation>
    </message>
    <message>
        <source>layer “%1”: %2</source>
        <translation>Ebene „%1“: %2</translation>
    </message>
    <message>
        <source>nothing to save</source>
        <translation>nichts zu speichern</translation>
    </message>
    <message>
        <source>cannot create the archive (%1)</source>
        <translation>das Archiv kann nicht erstellt werden (%1)</translation>
    </message>
    <message>
        <source>cannot add “%1” to the archive</source>
        <translation>„%1“ kann nicht zum Archiv hinzugefügt werden</translation>
    </message>
    <message>
        <source>cannot write the archive (%1)</source>
        <translation>das Archiv kann nicht geschrieben werden (%1)</translation>
    </message>
    <message>
        <source>cannot read the archive back</source>
        <translation>das Archiv kann nicht zurückgelesen werden</translation>
    </message>
    <message>
        <source>not an OpenRaster file</source>
        <translation>keine OpenRaster-Datei</translation>
    </message>
    <message>
        <source>not an OpenRaster file (not a ZIP archive)</source>
        <translation>keine OpenRaster-Datei (kein ZIP-Archiv)</translation>
    </message>
    <message>
        <source>not an OpenRaster file (mimetype is “%1”)</source>
        <translation>keine OpenRaster-Datei (MIME-Typ ist „%1“)</translation>
    </message>
    <message>
        <source>the saved file does not read back identically</source>
        <translation>die gespeicherte Datei liest sich nicht identisch zurück</translation>
    </message>
    <message>
        <source>the file is too large</source>
        <translation>die Datei ist zu groß</translation>
    </message>
    <message>
        <source>“%1” claims %2 bytes in an archive of %3 bytes (a decompression bomb?)</source>
        <translation>„%1“ gibt %2 Bytes in einem Archiv von %3 Bytes an (eine Dekompressionsbombe?)</translation>
    </message>
    <message>
        <source>the picture is too large (%1 × %2 pixels; at most %3 megapixels)</source>
        <translation>das Bild ist zu groß (%1 × %2 Pixel; höchstens %3 Megapixel)</translation>
    </message>
    <message>
        <source>layer “%1” lies far outside the picture</source>
        <translation>die Ebene „%1“ liegt weit außerhalb des Bildes</translation>
    </message>
    <message>
        <source>not enough memory for a picture of %1 × %2 pixels</source>
        <translation>nicht genug Speicher für ein Bild von %1 × %2 Pixeln</translation>
    </message>
    <message>
        <source>stack.xml nests deeper than 64 levels</source>
        <translation>stack.xml ist tiefer als 64 Ebenen verschachtelt</translation>
    </message>
    <message>
        <source>stack.xml does not start with &lt;image&gt;</source>
        <translation>stack.xml beginnt nicht mit &lt;image&gt;</translation>
    </message>
    <message>
        <source>stack.xml has no &lt;stack&gt;</source>
        <translation>stack.xml enthält kein &lt;stack&gt;</translation>
    </message>
    <message>
        <source>not enough memory</source>
        <translation>nicht genug Speicher</translation>
    </message>
    <message>
        <source>“%1” uses the composite-op “%2”, which the editor cannot combine</source>
        <translation>„%1“ verwendet den Mischmodus „%2“, den der Editor nicht zusammenrechnen kann</translation>
    </message>
    <message>
        <source>the group “%1” blends its layers with those below it (pass-through)</source>
        <translation>die Gruppe „%1“ mischt ihre Ebenen mit den darunterliegenden (Durchreichen)</translation>
    </message>
    <message>
        <source>too many nested groups for a picture this large</source>
        <translation>zu viele verschachtelte Gruppen für ein so großes Bild</translation>
    </message>
    <message>
        <source>cannot combine the layers (%1), and the file has no mergedimage.png</source>
        <translation>die Ebenen lassen sich nicht zusammenrechnen (%1), und die Datei enthält kein mergedimage.png</translation>
    </message>
    <message>
        <source>The layers cannot be combined here (%1): the picture shown is the flattened copy the file carries (mergedimage.png).</source>
        <translation>Die Ebenen lassen sich hier nicht zusammenrechnen (%1): Angezeigt wird die zusammengefügte Kopie aus der Datei (mergedimage.png).</translation>
    </message>
    <message>
        <source>The flattened copy is %1 × %2 pixels, not the picture&apos;s %3 × %4: it is placed at the top left, not stretched.</source>
        <translation>Die zusammengefügte Kopie ist %1 × %2 Pixel groß statt %3 × %4 wie das Bild: Sie wird oben links eingesetzt, nicht gestreckt.</translation>
    </message>
    <message numerus="yes">
        <source>This file has %n layer(s) from another program (%1). The editor shows them combined into one picture and keeps them: saving writes them back unchanged below the picture.</source>
        <translation>
            <numerusform>Diese Datei hat %n Ebene aus einem anderen Programm (%1). Der Editor zeigt sie zu einem Bild zusammengerechnet und behält sie: Beim Speichern werden sie unverändert unter das Bild zurückgeschrieben.</numerusform>
            <numerusform>Diese Datei hat %n Ebenen aus einem anderen Programm (%1). Der Editor zeigt sie zu einem Bild zusammengerechnet und behält sie: Beim Speichern werden sie unverändert unter das Bild zurückgeschrieben.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OutOfMemory</name>
    <message>
        <source>an allocation failed</source>
        <translation>eine Speicheranforderung ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>Not enough memory to load the model (%1).

In Settings, choose a lower precision (float16 or bfloat16 halves the memory), or the CPU device if the GPU&apos;s memory is too small; or close other programs. The editor keeps working.</source>
        <translation>Nicht genug Speicher, um das Modell zu laden (%1).

Wählen Sie in den Einstellungen eine geringere Genauigkeit (float16 oder bfloat16 halbiert den Speicherbedarf) oder das Gerät CPU, wenn der Speicher der GPU zu klein ist, oder schließen Sie andere Programme. Der Editor arbeitet weiter.</translation>
    </message>
    <message>
        <source>Not enough memory to generate (%1).

Lower the batch size (images per run), choose a lower precision (float16 or bfloat16) or the CPU device in Settings, or work on a smaller picture (inpainting and variations start from the whole canvas). Your picture is unchanged and the next generation can run.</source>
        <translation>Nicht genug Speicher zum Erzeugen (%1).

Verringern Sie die Anzahl der Bilder pro Lauf, wählen Sie in den Einstellungen eine geringere Genauigkeit (float16 oder bfloat16) oder das Gerät CPU, oder arbeiten Sie an einem kleineren Bild (Inpainting und Variationen gehen von der ganzen Leinwand aus). Ihr Bild ist unverändert, und die nächste Erzeugung kann laufen.</translation>
    </message>
</context>
<context>
    <name>PatchCommand</name>
    <message>
        <source>This undo step could not be read back from the history file %1; the picture was left as it is.</source>
        <translation>Dieser Schritt konnte nicht aus der Verlaufsdatei %1 zurückgelesen werden; das Bild bleibt, wie es ist.</translation>
    </message>
</context>
<context>
    <name>PipelineBackend</name>
    <message>
        <source>No model is loaded.</source>
        <translation>Es ist kein Modell geladen.</translation>
    </message>
    <message>
        <source>This mode needs an image in the document.</source>
        <translation>Dieser Modus braucht ein Bild im Dokument.</translation>
    </message>
    <message>
        <source>%1: %2 px; %3</source>
        <translation>%1: %2 px; %3</translation>
    </message>
    <message>
        <source>%1 needs a model component this model does not have: %2</source>
        <translation>%1 braucht eine Modellkomponente, die diesem Modell fehlt: %2</translation>
    </message>
    <message>
        <source>Needs %1, which the loaded model does not have.</source>
        <translation>Benötigt %1, das dem geladenen Modell fehlt.</translation>
    </message>
    <message>
        <source>For Karlo, set Settings &gt; Image encoder folder to karlo-v1-alpha-image-variations.</source>
        <translation>Für Karlo in Einstellungen &gt; Bild-Encoder-Ordner karlo-v1-alpha-image-variations wählen.</translation>
    </message>
    <message>
        <source>There is nothing to score.</source>
        <translation>Es gibt nichts zu bewerten.</translation>
    </message>
    <message>
        <source>There is no candidate %1 to upscale.</source>
        <translation>Es gibt keinen Kandidaten %1 zum Hochskalieren.</translation>
    </message>
    <message>
        <source>Comparing pictures with pictures runs on this computer only; compare with texts, or choose Settings &gt; Inference &gt; This computer.</source>
        <translation>Bilder mit Bildern vergleichen geht nur auf diesem Computer; vergleichen Sie mit Texten oder wählen Sie Einstellungen &gt; Berechnung &gt; Dieser Computer.</translation>
    </message>
    <message>
        <source>No server address is set. Enter one in Settings &gt; Inference.</source>
        <translation>Keine Serveradresse angegeben. Tragen Sie eine unter Einstellungen &gt; Berechnung ein.</translation>
    </message>
    <message>
        <source>local server program</source>
        <translation>lokalem Serverprogramm</translation>
    </message>
    <message>
        <source>%1 on %2 (%3, %4): %5 px; %6</source>
        <translation>%1 auf %2 (%3, %4): %5 px; %6</translation>
    </message>
    <message>
        <source>Enter the server&apos;s address first.</source>
        <translation>Geben Sie zuerst die Adresse des Servers ein.</translation>
    </message>
    <message>
        <source>unclip %1 (%2) on %3, %4. Model: %5, %6 px. Runs: %7.</source>
        <translation>unclip %1 (%2) auf %3, %4. Modell: %5, %6 px. Kann: %7.</translation>
    </message>
    <message>
        <source>Cannot run: %1.</source>
        <translation>Kann nicht: %1.</translation>
    </message>
    <message>
        <source>Set Settings &gt; Inpainting decoder folder to kandinsky-2-2-decoder-inpaint.</source>
        <translation>Wählen Sie unter Einstellungen &gt; Inpainting-Decoder-Ordner kandinsky-2-2-decoder-inpaint.</translation>
    </message>
    <message>
        <source>Set Settings &gt; Decoder folder to kandinsky-2-2-decoder.</source>
        <translation>Wählen Sie unter Einstellungen &gt; Decoder-Ordner kandinsky-2-2-decoder.</translation>
    </message>
    <message>
        <source>Set Settings &gt; Model folder to kandinsky-2-2-prior.</source>
        <translation>Wählen Sie unter Einstellungen &gt; Modellordner kandinsky-2-2-prior.</translation>
    </message>
</context>
<context>
    <name>ProgressClock</name>
    <message>
        <source>%1 · about %2 left</source>
        <translation>%1 · noch etwa %2</translation>
    </message>
</context>
<context>
    <name>Recipe</name>
    <message>
        <source>The recipe&apos;s mode “%1” is not one this version knows.</source>
        <translation>Den Modus „%1“ des Rezepts kennt diese Version nicht.</translation>
    </message>
    <message>
        <source>The recipe has no valid step counts.</source>
        <translation>Das Rezept hat keine gültigen Schrittzahlen.</translation>
    </message>
    <message>
        <source>%1, seed %2</source>
        <translation>%1, Seed %2</translation>
    </message>
    <message>
        <source>%1: ‘%2’, seed %3</source>
        <translation>%1: ‚%2‘, Seed %3</translation>
    </message>
</context>
<context>
    <name>SafeSave</name>
    <message>
        <source>the disk is full (%1)</source>
        <translation>der Datenträger ist voll (%1)</translation>
    </message>
    <message>
        <source>the file would be too large for this disk or account (%1)</source>
        <translation>die Datei wäre für diesen Datenträger oder dieses Konto zu groß (%1)</translation>
    </message>
    <message>
        <source>the data could not be written</source>
        <translation>die Daten konnten nicht geschrieben werden</translation>
    </message>
    <message>
        <source>The previous version could not be kept as “%1”.</source>
        <translation>Die vorige Fassung konnte nicht als „%1“ aufbewahrt werden.</translation>
    </message>
    <message>
        <source>not enough memory to encode the document</source>
        <translation>nicht genug Speicher, um das Dokument zu kodieren</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Image editor running unCLIP (Karlo) locally</source>
        <translation>Bildeditor, der unCLIP (Karlo) lokal ausführt</translation>
    </message>
    <message>
        <source>Picture or .ora document to open</source>
        <translation>Zu öffnendes Bild oder .ora-Dokument</translation>
    </message>
    <message>
        <source>Save a screenshot of the window to &lt;file&gt; and quit</source>
        <translation>Ein Bildschirmfoto des Fensters in &lt;file&gt; speichern und beenden</translation>
    </message>
    <message>
        <source>Use the translation for &lt;language&gt; (e.g. de, en) instead of the configured one</source>
        <translation>Die Übersetzung für &lt;language&gt; (z. B. de, en) statt der eingestellten verwenden</translation>
    </message>
    <message>
        <source>Print the data, model and translation the editor found, then quit</source>
        <translation>Die gefundenen Daten, das Modell und die Übersetzung ausgeben, dann beenden</translation>
    </message>
</context>
<context>
    <name>unclip::ui::CanvasSizeDialog</name>
    <message>
        <source>Canvas Size</source>
        <translation>Leinwandgröße</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>&amp;Width:</source>
        <translation>&amp;Breite:</translation>
    </message>
    <message>
        <source>&amp;Height:</source>
        <translation>&amp;Höhe:</translation>
    </message>
    <message>
        <source>Keep the picture here; the canvas grows away from it</source>
        <translation>Das Bild bleibt hier; die Leinwand wächst von ihm weg</translation>
    </message>
    <message>
        <source>&amp;Anchor:</source>
        <translation>&amp;Anker:</translation>
    </message>
    <message>
        <source>Edge pixels (best start for outpainting)</source>
        <translation>Randpixeln (bester Start für Outpainting)</translation>
    </message>
    <message>
        <source>White</source>
        <translation>Weiß</translation>
    </message>
    <message>
        <source>Transparent</source>
        <translation>Transparent</translation>
    </message>
    <message>
        <source>&amp;Fill new area with:</source>
        <translation>Neue Fläche &amp;füllen mit:</translation>
    </message>
    <message>
        <source>&amp;Mask the new area (then Generate in Inpaint mode outpaints it)</source>
        <translation>Neue Fläche &amp;maskieren (Erzeugen im Modus Inpainting füllt sie dann)</translation>
    </message>
    <message>
        <source>%1 × %2 → %3 × %4 (left %5, top %6, right %7, bottom %8 px; negative values crop)</source>
        <translation>%1 × %2 → %3 × %4 (links %5, oben %6, rechts %7, unten %8 px; negative Werte beschneiden)</translation>
    </message>
</context>
<context>
    <name>unclip::ui::EmbeddingPanel</name>
    <message>
        <source>Applied (one undo step)</source>
        <translation>Übernommen (ein Rückgängig-Schritt)</translation>
    </message>
    <message>
        <source>%1 %2 / %3</source>
        <translation>%1 %2 / %3</translation>
    </message>
    <message numerus="yes">
        <source> (+%n queued)</source>
        <translation>
            <numerusform> (+%n wartet)</numerusform>
            <numerusform> (+%n warten)</numerusform>
        </translation>
    </message>
    <message>
        <source>Waiting…</source>
        <translation>Wartet…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop this panel&apos;s jobs (the other docks&apos; jobs go on)</source>
        <translation>Die Aufträge dieses Bedienfelds abbrechen (die der anderen Docks laufen weiter)</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
</context>
<context>
    <name>unclip::ui::FrameTool</name>
    <message>
        <source>%1 px for a %2 px frame: %3× enlarged</source>
        <translation>%1 px für einen %2-px-Rahmen: %3× vergrößert</translation>
    </message>
    <message>
        <source>%1 px frame at the model&apos;s full resolution</source>
        <translation>%1-px-Rahmen in der vollen Auflösung des Modells</translation>
    </message>
    <message>
        <source>%1, outpainting</source>
        <translation>%1, erweitert das Bild</translation>
    </message>
    <message>
        <source>Automatic frame: %1</source>
        <translation>Automatischer Rahmen: %1</translation>
    </message>
</context>
<context>
    <name>unclip::ui::ImageSlot</name>
    <message>
        <source>Open…</source>
        <translation>Öffnen…</translation>
    </message>
    <message>
        <source>Use an image file</source>
        <translation>Eine Bilddatei verwenden</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Einfügen</translation>
    </message>
    <message>
        <source>Use the image on the clipboard (Ctrl+V while this slot has focus)</source>
        <translation>Das Bild aus der Zwischenablage verwenden (Strg+V, wenn dieses Feld den Fokus hat)</translation>
    </message>
    <message>
        <source>Picture</source>
        <translation>Bild</translation>
    </message>
    <message>
        <source>Use the current picture of the document</source>
        <translation>Das aktuelle Bild des Dokuments verwenden</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Use the result selected in the Results dock (or drag a result thumbnail here)</source>
        <translation>Das im Ergebnisse-Dock gewählte Ergebnis verwenden (oder ein Vorschaubild hierher ziehen)</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>…or describe it in words</source>
        <translation>…oder in Worten beschreiben</translation>
    </message>
    <message>
        <source>Drop an image or type a text</source>
        <translation>Ein Bild ablegen oder einen Text eingeben</translation>
    </message>
    <message>
        <source>Drop an image here</source>
        <translation>Ein Bild hier ablegen</translation>
    </message>
    <message>
        <source>%1 (image)</source>
        <translation>%1 (Bild)</translation>
    </message>
    <message>
        <source>“%1”</source>
        <translation>„%1“</translation>
    </message>
    <message>
        <source>Drop an image
or type a text</source>
        <translation>Ein Bild ablegen
oder Text eingeben</translation>
    </message>
    <message>
        <source>Drop an image</source>
        <translation>Ein Bild ablegen</translation>
    </message>
    <message>
        <source>Cannot open “%1”: %2</source>
        <translation>„%1“ kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>Open an image</source>
        <translation>Ein Bild öffnen</translation>
    </message>
    <message>
        <source>The clipboard holds no image</source>
        <translation>Die Zwischenablage enthält kein Bild</translation>
    </message>
    <message>
        <source>Select a result in the Results dock first</source>
        <translation>Zuerst ein Ergebnis im Ergebnisse-Dock wählen</translation>
    </message>
    <message>
        <source>The picture: follows your edits and applied results</source>
        <translation>Das Bild: folgt Ihren Änderungen und übernommenen Ergebnissen</translation>
    </message>
</context>
<context>
    <name>unclip::ui::InferenceSettings</name>
    <message>
        <source>This computer</source>
        <translation>Dieser Computer</translation>
    </message>
    <message>
        <source>A server</source>
        <translation>Ein Server</translation>
    </message>
    <message>
        <source>A local server program</source>
        <translation>Ein lokales Serverprogramm</translation>
    </message>
    <message>
        <source>Server &amp;address:</source>
        <translation>Server&amp;adresse:</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keines</translation>
    </message>
    <message>
        <source>T&amp;est</source>
        <translation>T&amp;esten</translation>
    </message>
    <message>
        <source>To&amp;ken:</source>
        <translation>To&amp;ken:</translation>
    </message>
    <message>
        <source>an unclip program built with your GPU&apos;s LibTorch</source>
        <translation>ein unclip-Programm, gebaut mit der LibTorch Ihrer GPU</translation>
    </message>
    <message>
        <source>Server program</source>
        <translation>Serverprogramm</translation>
    </message>
    <message>
        <source>Server pro&amp;gram:</source>
        <translation>Server&amp;programm:</translation>
    </message>
</context>
<context>
    <name>unclip::ui::InferenceWorker</name>
    <message>
        <source>No model is loaded.</source>
        <translation>Es ist kein Modell geladen.</translation>
    </message>
    <message>
        <source>No model folder is set. Choose one in Settings.</source>
        <translation>Es ist kein Modellordner eingestellt. Wählen Sie einen in den Einstellungen.</translation>
    </message>
    <message>
        <source>The model folder “%1” does not exist.</source>
        <translation>Der Modellordner „%1“ existiert nicht.</translation>
    </message>
    <message>
        <source>Cannot load the model from “%1”: %2</source>
        <translation>Das Modell aus „%1“ kann nicht geladen werden: %2</translation>
    </message>
</context>
<context>
    <name>unclip::ui::InterpolationPanel</name>
    <message>
        <source>Interpolation</source>
        <translation>Interpolation</translation>
    </message>
    <message>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <source>Share the noise across frames: a position always gives the same frame</source>
        <translation>Dasselbe Rauschen für alle Bilder: eine Position ergibt immer dasselbe Bild</translation>
    </message>
    <message>
        <source>Render the frames from A to B in the background</source>
        <translation>Die Bilder von A nach B im Hintergrund berechnen</translation>
    </message>
    <message>
        <source>&amp;Position:</source>
        <translation>&amp;Position:</translation>
    </message>
    <message>
        <source>Drag to scrub through the rendered frames; release between frames (or use the arrow keys) to render that exact position</source>
        <translation>Ziehen, um durch die berechneten Bilder zu fahren; zwischen zwei Bildern loslassen (oder die Pfeiltasten nutzen), um genau diese Position zu berechnen</translation>
    </message>
    <message>
        <source>Put the frame on display into the picture (one undo step)</source>
        <translation>Das angezeigte Bild ins Bild übernehmen (ein Rückgängig-Schritt)</translation>
    </message>
    <message>
        <source>E&amp;xport</source>
        <translation>E&amp;xportieren</translation>
    </message>
    <message>
        <source>Animated &amp;GIF…</source>
        <translation>Animiertes &amp;GIF…</translation>
    </message>
    <message>
        <source>&amp;Video…</source>
        <translation>&amp;Video…</translation>
    </message>
    <message>
        <source>&amp;PNG frames…</source>
        <translation>&amp;PNG-Einzelbilder…</translation>
    </message>
    <message>
        <source>&amp;This frame as PNG…</source>
        <translation>&amp;Dieses Bild als PNG…</translation>
    </message>
    <message>
        <source>Render frames to scrub through them</source>
        <translation>Bilder berechnen, um durch sie zu fahren</translation>
    </message>
    <message>
        <source>Give slot %1 an image or a text first</source>
        <translation>Zuerst Feld %1 ein Bild oder einen Text geben</translation>
    </message>
    <message>
        <source>A (image)</source>
        <translation>A (Bild)</translation>
    </message>
    <message>
        <source>B (image)</source>
        <translation>B (Bild)</translation>
    </message>
    <message>
        <source>A: “%1”</source>
        <translation>A: „%1“</translation>
    </message>
    <message>
        <source>B: “%1”</source>
        <translation>B: „%1“</translation>
    </message>
    <message>
        <source>Position %1</source>
        <translation>Position %1</translation>
    </message>
    <message>
        <source>Render the frames first.</source>
        <translation>Zuerst die Bilder berechnen.</translation>
    </message>
    <message>
        <source>Cannot create the folder “%1”.</source>
        <translation>Der Ordner „%1“ kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>No frame is on display.</source>
        <translation>Es wird kein Bild angezeigt.</translation>
    </message>
    <message>
        <source>Export animated GIF</source>
        <translation>Animiertes GIF exportieren</translation>
    </message>
    <message>
        <source>Animated GIF (*.gif)</source>
        <translation>Animiertes GIF (*.gif)</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>%1 exportiert</translation>
    </message>
    <message>
        <source>Export video</source>
        <translation>Video exportieren</translation>
    </message>
    <message>
        <source>Video (*.avi *.mp4 *.mkv)</source>
        <translation>Video (*.avi *.mp4 *.mkv)</translation>
    </message>
    <message>
        <source>Export PNG frames into</source>
        <translation>PNG-Einzelbilder exportieren nach</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n frame(s)</source>
        <translation>
            <numerusform>%n Bild exportiert</numerusform>
            <numerusform>%n Bilder exportiert</numerusform>
        </translation>
    </message>
    <message>
        <source>Export frame</source>
        <translation>Bild exportieren</translation>
    </message>
    <message>
        <source>Sm&amp;ooth</source>
        <translation>&amp;Gleichmäßig</translation>
    </message>
    <message>
        <source>Frame&amp;s:</source>
        <translation>Bilde&amp;r:</translation>
    </message>
    <message>
        <source>See&amp;d:</source>
        <translation>&amp;Seed:</translation>
    </message>
    <message>
        <source>Re&amp;nder frames</source>
        <translation>Bilder berech&amp;nen</translation>
    </message>
    <message>
        <source>Appl&amp;y frame</source>
        <translation>Bild einse&amp;tzen</translation>
    </message>
    <message>
        <source>fps:</source>
        <translation>Bilder/s:</translation>
    </message>
    <message numerus="yes">
        <source>Rendering %n frame(s)… %1</source>
        <translation>
            <numerusform>%n Bild wird berechnet… %1</numerusform>
            <numerusform>%n Bilder werden berechnet… %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Position %1: rendering this frame… %2</source>
        <translation>Position %1: dieses Bild wird berechnet… %2</translation>
    </message>
    <message>
        <source>Position %1 (nearest frame %2)</source>
        <translation>Position %1 (nächstes Bild %2)</translation>
    </message>
</context>
<context>
    <name>unclip::ui::MainWindow</name>
    <message>
        <source>%1 × %2</source>
        <translation>%1 × %2</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>&amp;New…</source>
        <translation>&amp;Neu…</translation>
    </message>
    <message>
        <source>Start a blank picture</source>
        <translation>Ein leeres Bild beginnen</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>Ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open a picture or an OpenRaster document</source>
        <translation>Ein Bild oder ein OpenRaster-Dokument öffnen</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Save the picture, mask and recipes as OpenRaster (.ora)</source>
        <translation>Bild, Maske und Rezepte als OpenRaster (.ora) speichern</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>Speichern &amp;unter…</translation>
    </message>
    <message>
        <source>&amp;Export PNG…</source>
        <translation>PNG e&amp;xportieren…</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>Export the picture as PNG with its generation parameters</source>
        <translation>Das Bild mit seinen Erzeugungsparametern als PNG exportieren</translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>Ctrl+,</source>
        <translation>Ctrl+,</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Einfügen</translation>
    </message>
    <message>
        <source>Replace the picture with the image on the clipboard</source>
        <translation>Das Bild durch das Bild in der Zwischenablage ersetzen</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>Ver&amp;größern</translation>
    </message>
    <message>
        <source>Ctrl+=</source>
        <translation>Ctrl+=</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation>An &amp;Fenster anpassen</translation>
    </message>
    <message>
        <source>Ctrl+0</source>
        <translation>Ctrl+0</translation>
    </message>
    <message>
        <source>&amp;Actual Pixels</source>
        <translation>&amp;Originalgröße</translation>
    </message>
    <message>
        <source>Ctrl+1</source>
        <translation>Ctrl+1</translation>
    </message>
    <message>
        <source>Show &amp;Mask</source>
        <translation>&amp;Maske anzeigen</translation>
    </message>
    <message>
        <source>Ctrl+M</source>
        <translation>Ctrl+M</translation>
    </message>
    <message>
        <source>&amp;Brush</source>
        <translation>&amp;Pinsel</translation>
    </message>
    <message>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <source>Paint the mask</source>
        <translation>Die Maske malen</translation>
    </message>
    <message>
        <source>&amp;Eraser</source>
        <translation>&amp;Radierer</translation>
    </message>
    <message>
        <source>E</source>
        <translation>E</translation>
    </message>
    <message>
        <source>Erase the mask</source>
        <translation>Die Maske radieren</translation>
    </message>
    <message>
        <source>&amp;Rectangle</source>
        <translation>R&amp;echteck</translation>
    </message>
    <message>
        <source>R</source>
        <translation>R</translation>
    </message>
    <message>
        <source>Drag a rectangle into the mask (Alt: out of the mask)</source>
        <translation>Ein Rechteck in die Maske ziehen (Alt: aus der Maske entfernen)</translation>
    </message>
    <message>
        <source>Bigger Brush</source>
        <translation>Größerer Pinsel</translation>
    </message>
    <message>
        <source>]</source>
        <translation>]</translation>
    </message>
    <message>
        <source>Smaller Brush</source>
        <translation>Kleinerer Pinsel</translation>
    </message>
    <message>
        <source>[</source>
        <translation>[</translation>
    </message>
    <message>
        <source>&amp;Invert Mask</source>
        <translation>Maske &amp;umkehren</translation>
    </message>
    <message>
        <source>Ctrl+I</source>
        <translation>Ctrl+I</translation>
    </message>
    <message>
        <source>&amp;Clear Mask</source>
        <translation>Maske &amp;leeren</translation>
    </message>
    <message>
        <source>&amp;Fill Mask</source>
        <translation>Maske &amp;füllen</translation>
    </message>
    <message>
        <source>Ctrl+Shift+F</source>
        <translation>Ctrl+Shift+F</translation>
    </message>
    <message>
        <source>Mask the whole picture</source>
        <translation>Das ganze Bild maskieren</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>&amp;Erzeugen</translation>
    </message>
    <message>
        <source>Ctrl+Return</source>
        <translation>Ctrl+Return</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>Run the pipeline with the Prompt panel&apos;s settings</source>
        <translation>Die Pipeline mit den Einstellungen des Prompt-Bereichs ausführen</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <source>Stop the running generation and drop the queued ones</source>
        <translation>Die laufende Erzeugung anhalten und die wartenden verwerfen</translation>
    </message>
    <message>
        <source>&amp;About unclip-studio</source>
        <translation>&amp;Über unclip-studio</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Panels</source>
        <translation>&amp;Bereiche</translation>
    </message>
    <message>
        <source>&amp;Mask</source>
        <translation>&amp;Maske</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Haupt</translation>
    </message>
    <message>
        <source>Mask Tools</source>
        <translation>Maskenwerkzeuge</translation>
    </message>
    <message>
        <source> Size: </source>
        <translation> Größe: </translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Brush diameter ([ and ] change it)</source>
        <translation>Pinseldurchmesser ([ und ] ändern ihn)</translation>
    </message>
    <message>
        <source>  Hardness: </source>
        <translation>  Härte: </translation>
    </message>
    <message>
        <source>Edge of the brush: 0 soft, 100 hard</source>
        <translation>Rand des Pinsels: 0 weich, 100 hart</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>&lt;Original picture&gt;</source>
        <translation>&lt;Ursprüngliches Bild&gt;</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Ergebnisse</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>Loading model…</source>
        <translation>Modell wird geladen…</translation>
    </message>
    <message>
        <source>Loading the model from %1…</source>
        <translation>Das Modell wird aus %1 geladen…</translation>
    </message>
    <message>
        <source>Model loaded: %1</source>
        <translation>Modell geladen: %1</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>Kein Modell</translation>
    </message>
    <message>
        <source>Cannot load the model</source>
        <translation>Das Modell kann nicht geladen werden</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <source>Generation failed: %1</source>
        <translation>Erzeugung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Generation failed</source>
        <translation>Erzeugung fehlgeschlagen</translation>
    </message>
    <message>
        <source>Generation cancelled</source>
        <translation>Erzeugung abgebrochen</translation>
    </message>
    <message>
        <source>%1[*] — unclip-studio</source>
        <translation>%1[*] — unclip-studio</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Open Recent</source>
        <translation>Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>“%1” no longer exists.</source>
        <translation>„%1“ existiert nicht mehr.</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>Keine zuletzt geöffneten Dateien</translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation>Liste &amp;leeren</translation>
    </message>
    <message>
        <source>New picture, %1 × %2</source>
        <translation>Neues Bild, %1 × %2</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <source>Cannot open</source>
        <translation>Öffnen nicht möglich</translation>
    </message>
    <message>
        <source>Cannot open “%1”:
%2</source>
        <translation>„%1“ kann nicht geöffnet werden:
%2</translation>
    </message>
    <message>
        <source>Cannot open %1</source>
        <translation>%1 kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Opened %1 (%2 × %3)</source>
        <translation>%1 geöffnet (%2 × %3)</translation>
    </message>
    <message numerus="yes">
        <source>, %n generation recipe(s)</source>
        <translation>
            <numerusform>, %n Erzeugungsrezept</numerusform>
            <numerusform>, %n Erzeugungsrezepte</numerusform>
        </translation>
    </message>
    <message>
        <source>untitled</source>
        <translation>unbenannt</translation>
    </message>
    <message>
        <source>Save As</source>
        <translation>Speichern unter</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>Speichern nicht möglich</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>Export PNG</source>
        <translation>PNG exportieren</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>Export nicht möglich</translation>
    </message>
    <message>
        <source>Cannot export “%1”:
%2</source>
        <translation>„%1“ kann nicht exportiert werden:
%2</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>%1 exportiert</translation>
    </message>
    <message>
        <source>The clipboard holds no image</source>
        <translation>Die Zwischenablage enthält kein Bild</translation>
    </message>
    <message>
        <source>Paste image</source>
        <translation>Bild einfügen</translation>
    </message>
    <message>
        <source>Pasted an image of %1 × %2</source>
        <translation>Ein Bild mit %1 × %2 eingefügt</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>“%1” has unsaved changes. Save them?</source>
        <translation>„%1“ hat ungespeicherte Änderungen. Speichern?</translation>
    </message>
    <message>
        <source>Paint the area to regenerate with the mask brush first</source>
        <translation>Malen Sie zuerst den neu zu erzeugenden Bereich mit dem Maskenpinsel</translation>
    </message>
    <message>
        <source>Enter the target text first</source>
        <translation>Geben Sie zuerst den Zieltext ein</translation>
    </message>
    <message>
        <source>Queued (%1 waiting)</source>
        <translation>Eingereiht (%1 wartend)</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>Wird erzeugt…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1: step %2 of %3</source>
        <translation>%1: Schritt %2 von %3</translation>
    </message>
    <message numerus="yes">
        <source>Generated %n image(s)</source>
        <translation>
            <numerusform>%n Bild erzeugt</numerusform>
            <numerusform>%n Bilder erzeugt</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot apply the result</source>
        <translation>Das Ergebnis kann nicht übernommen werden</translation>
    </message>
    <message>
        <source>Applied the result (seed %1)</source>
        <translation>Ergebnis übernommen (Seed %1)</translation>
    </message>
    <message>
        <source>About unclip-studio</source>
        <translation>Über unclip-studio</translation>
    </message>
    <message>
        <source>Qt %1 · %2</source>
        <translation>Qt %1 · %2</translation>
    </message>
    <message>
        <source>Undo history</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>&amp;Undo %1</source>
        <translation>&amp;Rückgängig: %1</translation>
    </message>
    <message>
        <source>&amp;Redo %1</source>
        <translation>&amp;Wiederholen: %1</translation>
    </message>
    <message>
        <source>&amp;Canvas Size…</source>
        <translation>&amp;Leinwandgröße…</translation>
    </message>
    <message>
        <source>Ctrl+Alt+C</source>
        <translation>Ctrl+Alt+C</translation>
    </message>
    <message>
        <source>Extend or crop the canvas; new area is masked for outpainting</source>
        <translation>Die Leinwand erweitern oder beschneiden; neue Fläche wird fürs Outpainting maskiert</translation>
    </message>
    <message>
        <source>&amp;Lasso</source>
        <translation>&amp;Lasso</translation>
    </message>
    <message>
        <source>L</source>
        <translation>L</translation>
    </message>
    <message>
        <source>Draw an outline to add to the mask (Alt: cut out of the mask)</source>
        <translation>Einen Umriss zeichnen, der zur Maske kommt (Alt: aus der Maske ausschneiden)</translation>
    </message>
    <message>
        <source>&amp;Re-run Last Recipe</source>
        <translation>Letztes Rezept &amp;erneut ausführen</translation>
    </message>
    <message>
        <source>Ctrl+Shift+R</source>
        <translation>Ctrl+Shift+R</translation>
    </message>
    <message>
        <source>Run the picture&apos;s last recipe again (same prompt, seed and settings)</source>
        <translation>Das letzte Rezept des Bildes erneut ausführen (gleicher Prompt, Seed und gleiche Einstellungen)</translation>
    </message>
    <message>
        <source>This picture has no generation recipe</source>
        <translation>Dieses Bild hat kein Erzeugungsrezept</translation>
    </message>
    <message>
        <source>&amp;Image</source>
        <translation>B&amp;ild</translation>
    </message>
    <message>
        <source>Recipes of This &amp;Picture</source>
        <translation>Rezepte dieses &amp;Bildes</translation>
    </message>
    <message>
        <source>Time since the job started, and an estimate of what is left</source>
        <translation>Zeit seit dem Start des Auftrags und eine Schätzung der Restzeit</translation>
    </message>
    <message>
        <source>New Picture</source>
        <translation>Neues Bild</translation>
    </message>
    <message>
        <source>A picture of %1 × %2 pixels is not possible (1 to %3 pixels per side, and enough memory).</source>
        <translation>Ein Bild von %1 × %2 Pixeln ist nicht möglich (1 bis %3 Pixel pro Seite und genug Speicher).</translation>
    </message>
    <message>
        <source>Cannot use the recipe</source>
        <translation>Das Rezept kann nicht verwendet werden</translation>
    </message>
    <message>
        <source>Recipe loaded into the Prompt panel: Generate re-runs it</source>
        <translation>Rezept ins Prompt-Panel geladen: Erzeugen führt es erneut aus</translation>
    </message>
    <message>
        <source>No recipes in this picture</source>
        <translation>Keine Rezepte in diesem Bild</translation>
    </message>
    <message>
        <source>&amp;Load Recipe into the Prompt Panel</source>
        <translation>Rezept ins Prompt-Panel &amp;laden</translation>
    </message>
    <message>
        <source>&amp;Re-run Recipe</source>
        <translation>Rezept &amp;erneut ausführen</translation>
    </message>
    <message>
        <source>Canvas Size</source>
        <translation>Leinwandgröße</translation>
    </message>
    <message>
        <source>A canvas of %1 × %2 pixels is not possible (1 to %3 pixels per side, and enough memory).</source>
        <translation>Eine Leinwand von %1 × %2 Pixeln ist nicht möglich (1 bis %3 Pixel pro Seite und genug Speicher).</translation>
    </message>
    <message>
        <source>Canvas size %1 × %2</source>
        <translation>Leinwandgröße %1 × %2</translation>
    </message>
    <message>
        <source>The new area is masked: Generate (Ctrl+Enter) paints it</source>
        <translation>Die neue Fläche ist maskiert: Erzeugen (Strg+Eingabe) malt sie aus</translation>
    </message>
    <message>
        <source>Language: %1</source>
        <translation>Sprache: %1</translation>
    </message>
    <message>
        <source>Upscaling candidate #%1…</source>
        <translation>Kandidat Nr. %1 wird hochskaliert…</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation>%1 wird gespeichert…</translation>
    </message>
    <message>
        <source>Saving %1 failed</source>
        <translation>Speichern von %1 fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cannot save “%1”:
%2

The file on disk was not changed.</source>
        <translation>„%1“ kann nicht gespeichert werden:
%2

Die Datei auf dem Datenträger wurde nicht verändert.</translation>
    </message>
    <message>
        <source>Saved %1 (without the changes made while it was being saved)</source>
        <translation>%1 gespeichert (ohne die Änderungen während des Speicherns)</translation>
    </message>
    <message>
        <source>Recover unsaved work</source>
        <translation>Ungespeicherte Arbeit wiederherstellen</translation>
    </message>
    <message>
        <source>unclip-studio did not close properly. Unsaved work on “%1” was autosaved at %2.

Recover it? (Later keeps the copy for the next start.)</source>
        <translation>unclip-studio wurde nicht ordnungsgemäß beendet. Ungespeicherte Arbeit an „%1“ wurde um %2 automatisch gesichert.

Wiederherstellen? („Später“ behält die Kopie für den nächsten Start.)</translation>
    </message>
    <message>
        <source>Its file: %1</source>
        <translation>Seine Datei: %1</translation>
    </message>
    <message>
        <source>&amp;Recover</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>&amp;Verwerfen</translation>
    </message>
    <message>
        <source>&amp;Later</source>
        <translation>&amp;Später</translation>
    </message>
    <message>
        <source>The autosaved copy cannot be read:
%1

It stays in “%2”.</source>
        <translation>Die automatisch gesicherte Kopie kann nicht gelesen werden:
%1

Sie bleibt in „%2“.</translation>
    </message>
    <message>
        <source>Recovered “%1”: save it to keep it</source>
        <translation>„%1“ wiederhergestellt: speichern, um es zu behalten</translation>
    </message>
    <message>
        <source>The model will run on %1 in %2 from the next generation on</source>
        <translation>Das Modell läuft ab der nächsten Erzeugung auf %1 in %2</translation>
    </message>
    <message>
        <source>Ctrl+Shift+S</source>
        <translation>Ctrl+Shift+S</translation>
    </message>
    <message>
        <source>Save under another name: OpenRaster keeps everything, PNG/JPEG/WebP the picture</source>
        <translation>Unter anderem Namen speichern: OpenRaster behält alles, PNG/JPEG/WebP das Bild</translation>
    </message>
    <message>
        <source>Ctrl+Y</source>
        <translation>Ctrl+Y</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Copy the picture to the clipboard</source>
        <translation>Das Bild in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <source>F&amp;ull Screen</source>
        <translation>&amp;Vollbild</translation>
    </message>
    <message>
        <source>F11</source>
        <translation>F11</translation>
    </message>
    <message>
        <source>Use the whole screen for the window</source>
        <translation>Den ganzen Bildschirm für das Fenster nutzen</translation>
    </message>
    <message>
        <source>Reset &amp;Layout</source>
        <translation>&amp;Layout zurücksetzen</translation>
    </message>
    <message>
        <source>Put every panel back where it was at the first start</source>
        <translation>Jedes Panel dorthin zurücksetzen, wo es beim ersten Start war</translation>
    </message>
    <message>
        <source>S&amp;wap Brush and Eraser</source>
        <translation>Pinsel und Radierer &amp;tauschen</translation>
    </message>
    <message>
        <source>X</source>
        <translation>X</translation>
    </message>
    <message>
        <source>Switch between painting and erasing the mask</source>
        <translation>Zwischen Malen und Radieren der Maske wechseln</translation>
    </message>
    <message>
        <source>unclip-studio &amp;Help</source>
        <translation>unclip-studio-&amp;Hilfe</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>How to work with the editor, and every key</source>
        <translation>Wie man mit dem Editor arbeitet, und alle Tasten</translation>
    </message>
    <message>
        <source>The panels are back in their first places</source>
        <translation>Die Panels sind wieder an ihren ersten Plätzen</translation>
    </message>
    <message>
        <source>Copied the picture (%1 × %2) to the clipboard</source>
        <translation>Das Bild (%1 × %2) wurde in die Zwischenablage kopiert</translation>
    </message>
    <message>
        <source>unclip-studio Help</source>
        <translation>unclip-studio-Hilfe</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Working with unclip-studio&lt;/h3&gt;&lt;ol&gt;&lt;li&gt;Write what you want in the Prompt panel and press Generate (Ctrl+Enter).&lt;/li&gt;&lt;li&gt;To change part of a picture, paint a mask over it with the brush (B), switch the mode to Inpaint and Generate: only the masked area changes.&lt;/li&gt;&lt;li&gt;Pick a result in the Results panel and Apply it: one undo step.&lt;/li&gt;&lt;li&gt;Variations, Interpolation and Text diff are under View &amp;gt; Panels.&lt;/li&gt;&lt;/ol&gt;&lt;h3&gt;Keys&lt;/h3&gt;</source>
        <translation>&lt;h3&gt;Arbeiten mit unclip-studio&lt;/h3&gt;&lt;ol&gt;&lt;li&gt;Beschreiben Sie im Panel „Prompt“ (auf Englisch), was Sie möchten, und drücken Sie Erzeugen (Strg+Eingabe).&lt;/li&gt;&lt;li&gt;Um einen Teil eines Bildes zu ändern, malen Sie mit dem Pinsel (B) eine Maske darüber, wählen den Modus Inpainting und erzeugen: nur die maskierte Fläche ändert sich.&lt;/li&gt;&lt;li&gt;Wählen Sie im Panel „Ergebnisse“ ein Ergebnis und übernehmen Sie es: ein Rückgängig-Schritt.&lt;/li&gt;&lt;li&gt;Variationen, Interpolation und Textdifferenz finden Sie unter Ansicht &amp;gt; Panels.&lt;/li&gt;&lt;/ol&gt;&lt;h3&gt;Tasten&lt;/h3&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Alt and the underlined letter open a menu or go to a field.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Alt und der unterstrichene Buchstabe öffnen ein Menü oder springen zu einem Feld.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>PNG image, flattened (*.png)</source>
        <translation>PNG-Bild, flach (*.png)</translation>
    </message>
    <message>
        <source>JPEG image, flattened (*.jpg *.jpeg)</source>
        <translation>JPEG-Bild, flach (*.jpg *.jpeg)</translation>
    </message>
    <message>
        <source>WebP image, flattened (*.webp)</source>
        <translation>WebP-Bild, flach (*.webp)</translation>
    </message>
    <message>
        <source>“.%1” is not a format unclip-studio writes: use .ora, .png, .jpg or .webp.</source>
        <translation>„.%1“ ist kein Format, das unclip-studio schreibt: verwenden Sie .ora, .png, .jpg oder .webp.</translation>
    </message>
    <message>
        <source>Cannot save “%1”:
%2</source>
        <translation>„%1“ kann nicht gespeichert werden:
%2</translation>
    </message>
    <message>
        <source>Saved a flat copy as %1 (the mask and history stay only in .ora)</source>
        <translation>Flache Kopie als %1 gespeichert (Maske und Verlauf bleiben nur in .ora erhalten)</translation>
    </message>
    <message>
        <source>Generation &amp;Frame</source>
        <translation>Erzeugungs&amp;rahmen</translation>
    </message>
    <message>
        <source>F</source>
        <translation>F</translation>
    </message>
    <message>
        <source>Place the square the model draws in: drag to move or resize it, past the picture&apos;s edge to outpaint; double-click for the automatic frame</source>
        <translation>Das Quadrat platzieren, in dem das Modell zeichnet: ziehen, um es zu verschieben oder seine Größe zu ändern, über den Bildrand hinaus, um das Bild zu erweitern; Doppelklick für den automatischen Rahmen</translation>
    </message>
    <message>
        <source>&amp;Automatic Frame</source>
        <translation>&amp;Automatischer Rahmen</translation>
    </message>
    <message>
        <source>Generate in a frame found around the mask again</source>
        <translation>Wieder in einem um die Maske gefundenen Rahmen erzeugen</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Das Modell wird geladen…</translation>
    </message>
    <message>
        <source>The model could not be loaded: check the model folder in Settings (Ctrl+,)</source>
        <translation>Das Modell konnte nicht geladen werden: prüfen Sie den Modellordner in den Einstellungen (Strg+,)</translation>
    </message>
    <message>
        <source>Starting… %1</source>
        <translation>Startet… %1</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 geöffnet</translation>
    </message>
    <message>
        <source>%1 Text → image ignores the mask: choose Inpaint to repaint only the masked area.</source>
        <translation>%1 Text → Bild beachtet die Maske nicht: wählen Sie Inpainting, um nur die maskierte Fläche neu zu malen.</translation>
    </message>
    <message>
        <source>%1 %2 / %3 · %4</source>
        <translation>%1 %2 / %3 · %4</translation>
    </message>
    <message numerus="yes">
        <source>%n quick candidate(s) in Results: Upscale the one you like, or Apply it as it is.</source>
        <translation>
            <numerusform>%n schneller Kandidat in den Ergebnissen: skalieren Sie ihn hoch oder übernehmen Sie ihn so.</numerusform>
            <numerusform>%n schnelle Kandidaten in den Ergebnissen: skalieren Sie den gewünschten hoch oder übernehmen Sie ihn so.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) in Results: select one and Apply it (Ctrl+Z takes it back).</source>
        <translation>
            <numerusform>%n Bild in den Ergebnissen: wählen Sie es aus und übernehmen Sie es (Strg+Z nimmt es zurück).</numerusform>
            <numerusform>%n Bilder in den Ergebnissen: wählen Sie eines aus und übernehmen Sie es (Strg+Z nimmt es zurück).</numerusform>
        </translation>
    </message>
    <message>
        <source>The mask played no part: choose Inpaint to repaint only the masked area.</source>
        <translation>Die Maske spielte keine Rolle: wählen Sie Inpainting, um nur die maskierte Fläche neu zu malen.</translation>
    </message>
    <message>
        <source>The generation frame holds none of the mask: move it over the painted area, or double-click it with the Frame tool for the automatic frame</source>
        <translation>Der Erzeugungsrahmen enthält nichts von der Maske: Schieben Sie ihn über den bemalten Bereich, oder doppelklicken Sie ihn mit dem Rahmenwerkzeug für den automatischen Rahmen</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Show the mask as a coloured overlay with an outline (colour and opacity: Settings)</source>
        <translation>Die Maske als farbige Fläche mit Umriss zeigen (Farbe und Deckkraft: Einstellungen)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts…</source>
        <translation>&amp;Tastenkürzel…</translation>
    </message>
    <message>
        <source>Change the key of any menu command</source>
        <translation>Die Taste jedes Menübefehls ändern</translation>
    </message>
    <message>
        <source>&lt;h3&gt;unclip-studio %1&lt;/h3&gt;&lt;p&gt;A native image editor running unCLIP models (Karlo, Kandinsky 2.2) locally: inpainting with a painted mask, variations, interpolation and text diffs.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;unclip-studio %1&lt;/h3&gt;&lt;p&gt;Ein nativer Bildeditor, der unCLIP-Modelle (Karlo, Kandinsky 2.2) lokal ausführt: Inpainting mit gemalter Maske, Variationen, Interpolation und Textdifferenzen.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>%1, %2 px</source>
        <translation>%1, %2 px</translation>
    </message>
</context>
<context>
    <name>unclip::ui::NewImageDialog</name>
    <message>
        <source>New Picture</source>
        <translation>Neues Bild</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Benutzerdefiniert</translation>
    </message>
    <message>
        <source>%1 × %1 (square)</source>
        <translation>%1 × %1 (quadratisch)</translation>
    </message>
    <message>
        <source>1024 × 768 (landscape)</source>
        <translation>1024 × 768 (Querformat)</translation>
    </message>
    <message>
        <source>768 × 1024 (portrait)</source>
        <translation>768 × 1024 (Hochformat)</translation>
    </message>
    <message>
        <source>&amp;Preset:</source>
        <translation>&amp;Vorlage:</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>&amp;Width:</source>
        <translation>&amp;Breite:</translation>
    </message>
    <message>
        <source>&amp;Height:</source>
        <translation>&amp;Höhe:</translation>
    </message>
    <message>
        <source>White</source>
        <translation>Weiß</translation>
    </message>
    <message>
        <source>Black</source>
        <translation>Schwarz</translation>
    </message>
    <message>
        <source>Transparent</source>
        <translation>Transparent</translation>
    </message>
    <message>
        <source>&amp;Background:</source>
        <translation>&amp;Hintergrund:</translation>
    </message>
</context>
<context>
    <name>unclip::ui::PatchCommand</name>
    <message>
        <source>Brush strokes</source>
        <translation>Pinselstriche</translation>
    </message>
    <message>
        <source>Invert mask</source>
        <translation>Maske umkehren</translation>
    </message>
    <message>
        <source>Clear mask</source>
        <translation>Maske leeren</translation>
    </message>
    <message>
        <source>Fill mask</source>
        <translation>Maske füllen</translation>
    </message>
    <message>
        <source>Rectangle to mask</source>
        <translation>Rechteck zur Maske</translation>
    </message>
    <message>
        <source>Rectangle out of mask</source>
        <translation>Rechteck aus der Maske</translation>
    </message>
    <message>
        <source>Eraser stroke (%1 px)</source>
        <translation>Radiererstrich (%1 px)</translation>
    </message>
    <message>
        <source>Brush stroke (%1 px)</source>
        <translation>Pinselstrich (%1 px)</translation>
    </message>
    <message>
        <source>Lasso out of mask</source>
        <translation>Lasso aus der Maske</translation>
    </message>
    <message>
        <source>Lasso to mask</source>
        <translation>Lasso zur Maske</translation>
    </message>
</context>
<context>
    <name>unclip::ui::PlotsPanel</name>
    <message>
        <source>Plots</source>
        <translation>Diagramme</translation>
    </message>
    <message>
        <source>interpolation position (A → B)</source>
        <translation>Interpolationsposition (A → B)</translation>
    </message>
    <message>
        <source>CLIP similarity</source>
        <translation>CLIP-Ähnlichkeit</translation>
    </message>
    <message>
        <source>Similarity of each frame to A and B</source>
        <translation>Ähnlichkeit jedes Bildes zu A und B</translation>
    </message>
    <message>
        <source>Similarity of each frame to A and B (render an interpolation)</source>
        <translation>Ähnlichkeit jedes Bildes zu A und B (eine Interpolation berechnen)</translation>
    </message>
    <message>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>Time per step of the last run (none yet)</source>
        <translation>Zeit pro Schritt des letzten Laufs (noch keiner)</translation>
    </message>
    <message>
        <source>Time per step of the last run: %1, %2 s in all</source>
        <translation>Zeit pro Schritt des letzten Laufs: %1, insgesamt %2 s</translation>
    </message>
</context>
<context>
    <name>unclip::ui::PromptPanel</name>
    <message>
        <source>&amp;Prompt:</source>
        <translation>&amp;Prompt:</translation>
    </message>
    <message>
        <source>What the picture shows, e.g. “a red fox in the snow, watercolor”</source>
        <translation>Auf Englisch, was das Bild zeigt (das Modell liest Englisch), z. B. „a red fox in the snow, watercolor“</translation>
    </message>
    <message>
        <source>&amp;Negative prompt:</source>
        <translation>&amp;Negativer Prompt:</translation>
    </message>
    <message>
        <source>What to avoid (optional)</source>
        <translation>Was vermieden werden soll (optional)</translation>
    </message>
    <message>
        <source>&amp;Target:</source>
        <translation>&amp;Ziel:</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Softens the edge of the mask inward so the new pixels blend in</source>
        <translation>Macht den Maskenrand nach innen weich, damit sich die neuen Pixel einfügen</translation>
    </message>
    <message>
        <source>&amp;Strength:</source>
        <translation>S&amp;tärke:</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>Sampling</translation>
    </message>
    <message>
        <source>Prior steps:</source>
        <translation>Prior-Schritte:</translation>
    </message>
    <message>
        <source>Decoder steps:</source>
        <translation>Decoder-Schritte:</translation>
    </message>
    <message>
        <source>Super-res steps:</source>
        <translation>Hochskalierungsschritte:</translation>
    </message>
    <message>
        <source>Prior guidance:</source>
        <translation>Prior-Guidance:</translation>
    </message>
    <message>
        <source>Decoder guidance:</source>
        <translation>Decoder-Guidance:</translation>
    </message>
    <message>
        <source>&amp;Blend towards:</source>
        <translation>Überblenden &amp;zu:</translation>
    </message>
    <message>
        <source>What the picture should show instead</source>
        <translation>Was das Bild stattdessen zeigen soll</translation>
    </message>
    <message>
        <source>A text to interpolate the picture towards</source>
        <translation>Ein Text, zu dem das Bild interpoliert wird</translation>
    </message>
    <message>
        <source>What the picture shows now</source>
        <translation>Auf Englisch, was das Bild jetzt zeigt</translation>
    </message>
    <message>
        <source>What to paint into the masked area (empty: continue the picture)</source>
        <translation>Auf Englisch, was in den maskierten Bereich gemalt werden soll (leer: Bild fortsetzen)</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>&amp;Quick candidates</source>
        <translation>S&amp;chnelle Kandidaten</translation>
    </message>
    <message>
        <source>Show the small decoder pictures first (a fraction of the time) and upscale only the one you pick</source>
        <translation>Zuerst die kleinen Decoder-Bilder zeigen (ein Bruchteil der Zeit) und nur das gewählte hochskalieren</translation>
    </message>
    <message>
        <source>Where the model runs (the model is reloaded before the next generation)</source>
        <translation>Wo das Modell läuft (es wird vor der nächsten Erzeugung neu geladen)</translation>
    </message>
    <message>
        <source>float32 is exact; float16 and bfloat16 halve the memory (float16 needs a GPU)</source>
        <translation>float32 ist exakt; float16 und bfloat16 halbieren den Speicherbedarf (float16 braucht eine GPU)</translation>
    </message>
    <message>
        <source>Device, precision:</source>
        <translation>Gerät, Genauigkeit:</translation>
    </message>
    <message>
        <source>M&amp;ode:</source>
        <translation>M&amp;odus:</translation>
    </message>
    <message>
        <source>Fea&amp;ther:</source>
        <translation>&amp;Weiche Kante:</translation>
    </message>
    <message>
        <source>See&amp;d:</source>
        <translation>&amp;Seed:</translation>
    </message>
    <message>
        <source>Batch si&amp;ze:</source>
        <translation>Bilde&amp;r:</translation>
    </message>
    <message>
        <source>Steps and guidance per stage</source>
        <translation>Schritte und Guidance je Stufe</translation>
    </message>
    <message>
        <source>Switch to Inpaint</source>
        <translation>Zu Inpainting wechseln</translation>
    </message>
    <message>
        <source>Inpaint: Generate repaints only the masked area.</source>
        <translation>Inpainting: Erzeugen malt nur die maskierte Fläche neu.</translation>
    </message>
    <message>
        <source>You painted a mask. %1 does not use it; Inpaint repaints only the masked area.</source>
        <translation>Sie haben eine Maske gemalt. %1 verwendet sie nicht; Inpainting malt nur die maskierte Fläche neu.</translation>
    </message>
    <message>
        <source>&amp;Width × height:</source>
        <translation>&amp;Breite × Höhe:</translation>
    </message>
    <message>
        <source>The size of the picture, rounded up to a multiple of %1 px. Into a placed generation frame the picture takes the frame&apos;s shape, with the longer of these sides.</source>
        <translation>Die Größe des Bildes, aufgerundet auf ein Vielfaches von %1 px. In einem gesetzten Erzeugungsrahmen nimmt das Bild die Form des Rahmens an, mit der längeren dieser Seiten.</translation>
    </message>
</context>
<context>
    <name>unclip::ui::ReplaceContentCommand</name>
    <message>
        <source>This undo step could not be read back from the history file %1; the picture was left as it is.</source>
        <translation>Dieser Schritt konnte nicht aus der Verlaufsdatei %1 zurückgelesen werden; das Bild bleibt, wie es ist.</translation>
    </message>
</context>
<context>
    <name>unclip::ui::ResultsPanel</name>
    <message>
        <source>No job running</source>
        <translation>Kein Auftrag aktiv</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>&amp;Übernehmen</translation>
    </message>
    <message>
        <source>Put the selected result into the picture (inpainting: only the masked area)</source>
        <translation>Das ausgewählte Ergebnis ins Bild übernehmen (Inpainting: nur den maskierten Bereich)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>Ent&amp;fernen</translation>
    </message>
    <message>
        <source>C&amp;lear All</source>
        <translation>Alle &amp;leeren</translation>
    </message>
    <message>
        <source>Seed %1</source>
        <translation>Seed %1</translation>
    </message>
    <message>
        <source>Seed %1 · #%2</source>
        <translation>Seed %1 · #%2</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Ergebnisse</translation>
    </message>
    <message>
        <source>&amp;Upscale</source>
        <translation>Hochs&amp;kalieren</translation>
    </message>
    <message>
        <source>Run the super-resolution stage for this quick candidate (the same picture a full run would give)</source>
        <translation>Die Superresolution-Stufe für diesen Kandidaten ausführen (dasselbe Bild wie ein vollständiger Lauf)</translation>
    </message>
    <message>
        <source>Candidate #%1 · %2 px</source>
        <translation>Kandidat Nr. %1 · %2 px</translation>
    </message>
</context>
<context>
    <name>unclip::ui::SeedWidget</name>
    <message>
        <source>Lock the seed (otherwise every run draws a new one)</source>
        <translation>Seed sperren (sonst zieht jeder Lauf einen neuen)</translation>
    </message>
    <message>
        <source>Draw a random seed</source>
        <translation>Einen zufälligen Seed ziehen</translation>
    </message>
</context>
<context>
    <name>unclip::ui::SettingsDialog</name>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>No default model found</source>
        <translation>Kein Standardmodell gefunden</translation>
    </message>
    <message>
        <source>Default: %1</source>
        <translation>Standard: %1</translation>
    </message>
    <message>
        <source>&amp;Model folder:</source>
        <translation>&amp;Modellordner:</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>Modellordner</translation>
    </message>
    <message>
        <source>Optional: a folder with image_encoder and feature_extractor</source>
        <translation>Optional: ein Ordner mit image_encoder und feature_extractor</translation>
    </message>
    <message>
        <source>&amp;Image encoder folder:</source>
        <translation>&amp;Bildencoder-Ordner:</translation>
    </message>
    <message>
        <source>Image encoder folder</source>
        <translation>Bildencoder-Ordner</translation>
    </message>
    <message>
        <source>&amp;Device:</source>
        <translation>&amp;Gerät:</translation>
    </message>
    <message>
        <source>float32 (exact)</source>
        <translation>float32 (exakt)</translation>
    </message>
    <message>
        <source>float16 (GPU)</source>
        <translation>float16 (GPU)</translation>
    </message>
    <message>
        <source>bfloat16</source>
        <translation>bfloat16</translation>
    </message>
    <message>
        <source>&amp;Precision:</source>
        <translation>&amp;Genauigkeit:</translation>
    </message>
    <message>
        <source>All cores (%1)</source>
        <translation>Alle Kerne (%1)</translation>
    </message>
    <message>
        <source>CPU &amp;threads:</source>
        <translation>CPU-&amp;Threads:</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>Off (one undo step per stroke)</source>
        <translation>Aus (ein Rückgängig-Schritt pro Strich)</translation>
    </message>
    <message>
        <source>Strokes made within this time of each other become one undo step</source>
        <translation>Striche, die innerhalb dieser Zeit aufeinander folgen, werden ein Rückgängig-Schritt</translation>
    </message>
    <message>
        <source>&amp;Merge strokes within:</source>
        <translation>Striche zusammenfassen &amp;innerhalb:</translation>
    </message>
    <message>
        <source> MB</source>
        <translation> MB</translation>
    </message>
    <message>
        <source>Undo history is unlimited: beyond this much memory the oldest steps move to a scratch file on disk</source>
        <translation>Der Verlauf ist unbegrenzt: über diesen Speicher hinaus wandern die ältesten Schritte in eine Auslagerungsdatei</translation>
    </message>
    <message>
        <source>&amp;History memory:</source>
        <translation>&amp;Verlaufsspeicher:</translation>
    </message>
    <message>
        <source>Mark exported images with a &amp;signature</source>
        <translation>Exportierte Bilder mit einer &amp;Signatur kennzeichnen</translation>
    </message>
    <message>
        <source>A row of five small coloured squares in the lower-right corner of exported images, as DALL·E 2 marks its pictures (the parameters are always written)</source>
        <translation>Eine Reihe aus fünf kleinen farbigen Quadraten unten rechts in exportierten Bildern, wie DALL·E 2 seine Bilder kennzeichnet (die Parameter werden immer geschrieben)</translation>
    </message>
    <message>
        <source>A&amp;utosave for crash recovery, every</source>
        <translation>A&amp;utomatisch sichern zur Wiederherstellung, alle</translation>
    </message>
    <message>
        <source>Unsaved changes are copied in the background to the application&apos;s data folder; after a crash the next start offers to recover them</source>
        <translation>Ungespeicherte Änderungen werden im Hintergrund in den Datenordner des Programms kopiert; nach einem Absturz bietet der nächste Start an, sie wiederherzustellen</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>No model folder: choose one (Browse…) to generate.</source>
        <translation>Kein Modellordner: wählen Sie einen (Durchsuchen…), um zu erzeugen.</translation>
    </message>
    <message>
        <source>✓ %1</source>
        <translation>✓ %1</translation>
    </message>
    <message>
        <source>This folder cannot be used: %1</source>
        <translation>Dieser Ordner ist nicht verwendbar: %1</translation>
    </message>
    <message>
        <source>The colour of the mask on the canvas (an outline is always drawn around it)</source>
        <translation>Die Farbe der Maske auf der Leinwand (ein Umriss wird immer darum gezeichnet)</translation>
    </message>
    <message>
        <source>Mask colour</source>
        <translation>Maskenfarbe</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>How strongly the mask colour covers the picture</source>
        <translation>Wie stark die Maskenfarbe das Bild überdeckt</translation>
    </message>
    <message>
        <source>Mask &amp;overlay:</source>
        <translation>Masken&amp;darstellung:</translation>
    </message>
    <message>
        <source>I&amp;nference:</source>
        <translation>Be&amp;rechnung:</translation>
    </message>
    <message>
        <source>Karlo: its folder (karlo-v1-alpha). Kandinsky 2.2: the prior folder (kandinsky-2-2-prior), with the decoders in the two rows below.</source>
        <translation>Karlo: sein Ordner (karlo-v1-alpha). Kandinsky 2.2: der Prior-Ordner (kandinsky-2-2-prior), die Decoder in den zwei Zeilen darunter.</translation>
    </message>
    <message>
        <source>Kandinsky 2.2: kandinsky-2-2-decoder (text → image, variations, interpolation, text diffs)</source>
        <translation>Kandinsky 2.2: kandinsky-2-2-decoder (Text → Bild, Variationen, Interpolation, Textdifferenzen)</translation>
    </message>
    <message>
        <source>Decoder folder</source>
        <translation>Decoder-Ordner</translation>
    </message>
    <message>
        <source>D&amp;ecoder folder:</source>
        <translation>De&amp;coder-Ordner:</translation>
    </message>
    <message>
        <source>Kandinsky 2.2: kandinsky-2-2-decoder-inpaint (Inpaint)</source>
        <translation>Kandinsky 2.2: kandinsky-2-2-decoder-inpaint (Inpainting)</translation>
    </message>
    <message>
        <source>Inpainting decoder folder</source>
        <translation>Inpainting-Decoder-Ordner</translation>
    </message>
    <message>
        <source>Inp&amp;ainting decoder folder:</source>
        <translation>Inpainting-Decoder-&amp;Ordner:</translation>
    </message>
    <message>
        <source>Se&amp;quential offload</source>
        <translation>Sequenzielles Aus&amp;lagern</translation>
    </message>
    <message>
        <source>✓ %1: %2</source>
        <translation>✓ %1: %2</translation>
    </message>
    <message>
        <source>%1 cannot be used: %2</source>
        <translation>%1 ist nicht verwendbar: %2</translation>
    </message>
    <message>
        <source>Keeps the models in main memory and moves each to the device only while its stage runs: slower, but a GPU with room for one stage runs the whole pipeline (Kandinsky 2.2 needs about 12 GB at 768 px)</source>
        <translation>Hält die Modelle im Hauptspeicher und bringt jedes nur für seine Stufe auf das Gerät: langsamer, aber eine GPU mit Platz für eine Stufe führt die ganze Pipeline aus (Kandinsky 2.2 braucht bei 768 px etwa 12 GB)</translation>
    </message>
    <message>
        <source>For Kandinsky 2.2 only: Karlo&apos;s models stay on the device</source>
        <translation>Nur für Kandinsky 2.2: Karlos Modelle bleiben auf dem Gerät</translation>
    </message>
</context>
<context>
    <name>unclip::ui::ShortcutsDialog</name>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Befehl</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Taste</translation>
    </message>
    <message>
        <source>%1 is given to both “%2” and “%3”: change one of them.</source>
        <translation>%1 ist sowohl „%2“ als auch „%3“ zugewiesen: ändern Sie eines davon.</translation>
    </message>
</context>
<context>
    <name>unclip::ui::TextDiffPanel</name>
    <message>
        <source>Text diff</source>
        <translation>Textdifferenz</translation>
    </message>
    <message>
        <source>Image (empty: the picture)</source>
        <translation>Bild (leer: das aktuelle Bild)</translation>
    </message>
    <message>
        <source>&amp;Shows now:</source>
        <translation>&amp;Zeigt jetzt:</translation>
    </message>
    <message>
        <source>What the image shows, e.g. “a cat”</source>
        <translation>Was das Bild zeigt, z. B. „a cat“</translation>
    </message>
    <message>
        <source>What it should show, e.g. “a dog”</source>
        <translation>Was es zeigen soll, z. B. „a dog“</translation>
    </message>
    <message>
        <source>&amp;θ:</source>
        <translation>&amp;θ:</translation>
    </message>
    <message>
        <source>How far to turn the image embedding toward the text difference (0 = unchanged)</source>
        <translation>Wie weit die Bildeinbettung zur Textdifferenz gedreht wird (0 = unverändert)</translation>
    </message>
    <message>
        <source>Render the changed image in the background</source>
        <translation>Das veränderte Bild im Hintergrund berechnen</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <source>θ = %1</source>
        <translation>θ = %1</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <source>Put the preview into the picture (one undo step)</source>
        <translation>Die Vorschau ins Bild übernehmen (ein Rückgängig-Schritt)</translation>
    </message>
    <message>
        <source>Give an image first</source>
        <translation>Zuerst ein Bild angeben</translation>
    </message>
    <message>
        <source>Enter what the image should show first</source>
        <translation>Zuerst eingeben, was das Bild zeigen soll</translation>
    </message>
    <message>
        <source>Sh&amp;ould show:</source>
        <translation>S&amp;oll zeigen:</translation>
    </message>
    <message>
        <source>See&amp;d:</source>
        <translation>&amp;Seed:</translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>&amp;Vorschau</translation>
    </message>
    <message>
        <source>Appl&amp;y</source>
        <translation>Übernehme&amp;n</translation>
    </message>
    <message>
        <source>Rendering… %1</source>
        <translation>Wird berechnet… %1</translation>
    </message>
</context>
<context>
    <name>unclip::ui::VariationsPanel</name>
    <message>
        <source>Variations</source>
        <translation>Variationen</translation>
    </message>
    <message>
        <source>Image to vary</source>
        <translation>Zu variierendes Bild</translation>
    </message>
    <message>
        <source>&amp;Count:</source>
        <translation>An&amp;zahl:</translation>
    </message>
    <message>
        <source>&amp;Structure:</source>
        <translation>S&amp;truktur:</translation>
    </message>
    <message>
        <source>0: free variations; 1: keep the layout of the image exactly (DDIM inversion)</source>
        <translation>0: freie Variationen; 1: den Aufbau des Bildes genau beibehalten (DDIM-Inversion)</translation>
    </message>
    <message>
        <source>Generate the variations in the background</source>
        <translation>Die Variationen im Hintergrund erzeugen</translation>
    </message>
    <message>
        <source>A&amp;pply</source>
        <translation>Übernehme&amp;n</translation>
    </message>
    <message>
        <source>Put the selected variation into the picture (Return or double-click in the grid)</source>
        <translation>Die gewählte Variation ins Bild übernehmen (Eingabetaste oder Doppelklick im Raster)</translation>
    </message>
    <message>
        <source>Make variations of the selected variation</source>
        <translation>Variationen der gewählten Variation erzeugen</translation>
    </message>
    <message>
        <source>Give an image to vary first</source>
        <translation>Zuerst ein Bild zum Variieren angeben</translation>
    </message>
    <message>
        <source>#%1</source>
        <translation>Nr. %1</translation>
    </message>
    <message>
        <source>Variation %1 · seed %2 · structure %3</source>
        <translation>Variation %1 · Seed %2 · Struktur %3</translation>
    </message>
    <message>
        <source>See&amp;d:</source>
        <translation>&amp;Seed:</translation>
    </message>
    <message>
        <source>Ma&amp;ke variations</source>
        <translation>Variationen erzeu&amp;gen</translation>
    </message>
    <message>
        <source>Vary &amp;this one again</source>
        <translation>Diese erneut &amp;variieren</translation>
    </message>
    <message>
        <source>#%1 · %2</source>
        <translation>#%1 · %2</translation>
    </message>
    <message>
        <source>Variation %1 is being made: %2</source>
        <translation>Variation %1 wird erzeugt: %2</translation>
    </message>
</context>
</TS>
