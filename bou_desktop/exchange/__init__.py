"""Files in and out: svarsfiler (JSON, later Excel), county and national files, PDF, e-mail."""
