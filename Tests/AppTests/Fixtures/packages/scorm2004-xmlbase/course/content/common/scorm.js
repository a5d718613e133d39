// SCORM 2004 wrapper
