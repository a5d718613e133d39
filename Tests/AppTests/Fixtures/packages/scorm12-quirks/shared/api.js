// finds the SCORM API
